import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { hubSignature } from '@couponflow/channels/testing';
import { backends, openTestDatabase } from '@couponflow/db/testing';
import { orgWithKeys, startTestServer, type TestServer } from '../testing/testServer';

/** A Messenger webhook with one message, signed with `appSecret`. */
function messengerWebhook(appSecret: string, text = 'coupon') {
  const body = JSON.stringify({ object: 'page', entry: [{ id: 'page-1', time: 1, messaging: [{ sender: { id: `psid-${randomUUID()}` }, recipient: { id: 'page-1' }, timestamp: 1, message: { mid: `m_${randomUUID()}`, text } }] }] });
  return { body, headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': hubSignature(appSecret, body) } };
}

const page = (appSecret: string) => ({ appSecret, pageAccessToken: 'page-token', verifyToken: 'verify-token' });

/** Every job the server's contact-event queues hold, whatever their state. */
async function queuedJobs(server: TestServer): Promise<number> {
  const counts = await Promise.all(server.runtime.queues.contactShards.map((queue) => queue.getJobCounts()));
  return counts.flatMap((c) => Object.values(c)).reduce((a, b) => a + b, 0);
}

describe.each(backends)('an inbox changed through the API, on %s', (backend) => {
  // Two servers on one database and one Redis, as two processes (or hosts) of one instance.
  let first: TestServer;
  let second: TestServer;
  let shop: Awaited<ReturnType<typeof orgWithKeys>>;
  let closeDb: () => Promise<void>;
  beforeAll(async () => {
    const handle = await openTestDatabase(backend, inject('postgresUrl'));
    closeDb = handle.close;
    first = await startTestServer({ database: handle.db });
    second = await startTestServer({ database: handle.db, prefix: first.prefix, cipher: first.cipher });
    shop = await orgWithKeys(first);
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
    await closeDb();
  });

  const api = (server: TestServer, key: string, method: string, path: string, json?: unknown) => server.call(method, `/api/v1${path}`, { key, json });
  const post = (server: TestServer, inboxId: string, webhook: { body: string; headers: Record<string, string> }) => server.call('POST', `/webhooks/${inboxId}`, webhook);
  const connectPage = async (appSecret: string) => {
    const created = await api(first, shop.owner, 'POST', '/inboxes', { channel: 'messenger', name: 'Page', credentials: page(appSecret) });
    expect(created.status).toBe(201);
    return (await created.json()).id as string;
  };

  it('a page rotates its app secret: from the moment the API answers, every server refuses the old signature and takes the new one', async () => {
    const inboxId = await connectPage('first-secret');
    // Both servers have answered this inbox, so both keep its channel.
    expect((await post(first, inboxId, messengerWebhook('first-secret'))).status).toBe(200);
    expect((await post(second, inboxId, messengerWebhook('first-secret'))).status).toBe(200);

    expect((await api(first, shop.owner, 'PATCH', `/inboxes/${inboxId}`, { credentials: page('second-secret') })).status).toBe(200);
    const queued = await queuedJobs(first);
    for (const server of [second, first]) {
      const stale = await post(server, inboxId, messengerWebhook('first-secret'));
      expect([stale.status, (await stale.json()).error.code]).toEqual([401, 'invalid_signature']);
    }
    expect(await queuedJobs(first)).toBe(queued);
    for (const server of [second, first]) expect((await post(server, inboxId, messengerWebhook('second-secret'))).status).toBe(200);

    // And the other way round: changed through the second server, refused by the first.
    expect((await api(second, shop.owner, 'PATCH', `/inboxes/${inboxId}`, { credentials: page('third-secret') })).status).toBe(200);
    expect((await post(first, inboxId, messengerWebhook('second-secret'))).status).toBe(401);
    expect((await post(first, inboxId, messengerWebhook('third-secret'))).status).toBe(200);
    expect(await queuedJobs(first)).toBe(queued + 3);
  });

  it('a removed inbox answers 404 on every server at once', async () => {
    const inboxId = await connectPage('page-secret');
    for (const server of [first, second]) expect((await post(server, inboxId, messengerWebhook('page-secret'))).status).toBe(200);
    expect((await api(first, shop.owner, 'DELETE', `/inboxes/${inboxId}`)).status).toBe(204);
    for (const server of [second, first]) {
      const gone = await post(server, inboxId, messengerWebhook('page-secret'));
      expect([gone.status, (await gone.json()).error.code]).toEqual([404, 'not_found']);
    }
  });

  it('another organisation can neither change the inbox nor sign for it with its own page’s secret', async () => {
    const inboxId = await connectPage('shop-secret');
    expect((await post(second, inboxId, messengerWebhook('shop-secret'))).status).toBe(200);
    const other = await orgWithKeys(first, 'Other');
    const theirs = await api(first, other.owner, 'POST', '/inboxes', { channel: 'messenger', name: 'Their page', credentials: page('their-secret') });
    expect((await api(first, other.owner, 'PATCH', `/inboxes/${inboxId}`, { credentials: page('their-secret') })).status).toBe(404);
    expect((await api(first, other.owner, 'DELETE', `/inboxes/${inboxId}`)).status).toBe(404);
    expect((await post(second, inboxId, messengerWebhook('their-secret'))).status).toBe(401);
    expect((await post(second, (await theirs.json()).id, messengerWebhook('shop-secret'))).status).toBe(401);
    expect((await post(second, inboxId, messengerWebhook('shop-secret'))).status).toBe(200);
  });
});

describe('the webhook answered ahead of the middleware stack', () => {
  let server: TestServer;
  let inboxId: string;
  const logLines: Array<{ msg: string; req?: { id: string; method: string; url: string }; res?: { statusCode: number } }> = [];
  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
    server = await startTestServer({ logger });
    const shop = await orgWithKeys(server);
    const created = await server.call('POST', '/api/v1/inboxes', { key: shop.owner, json: { channel: 'messenger', name: 'Page', credentials: page('page-secret') } });
    inboxId = (await created.json()).id;
  });
  afterAll(() => server.close());
  afterEach(() => void logLines.splice(0));

  it('keeps what the stack gave: security headers, the request id, an access log line and the request metric', async () => {
    const forged = await server.call('POST', `/webhooks/${inboxId}`, messengerWebhook('not-the-secret'));
    const signed = messengerWebhook('page-secret');
    const ok = await server.call('POST', `/webhooks/${inboxId}`, { body: signed.body, headers: { ...signed.headers, 'X-Request-Id': 'platform-42' } });
    expect(forged.status).toBe(401);
    expect([ok.status, await ok.json()]).toEqual([200, { received: 1 }]);
    expect(ok.headers.get('x-request-id')).toBe('platform-42');
    expect(ok.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    const refusedLine = logLines.find((l) => l.msg === 'request completed' && l.res?.statusCode === 401);
    expect(refusedLine?.req).toMatchObject({ method: 'POST', url: `/webhooks/${inboxId}` });
    expect(logLines.find((l) => l.req?.id === 'platform-42')).toMatchObject({ msg: 'request completed', res: { statusCode: 200 } });
    const metrics = await (await server.call('GET', '/metrics', { key: server.adminKey })).text();
    expect(metrics).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/webhooks\/:inboxId",status="200"\} 1\b/);
    expect(metrics).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/webhooks\/:inboxId",status="401"\} 1\b/);
  });

  it('a refused webhook gets the error model, with the security headers and request id too', async () => {
    const unsigned = await server.call('POST', `/webhooks/${inboxId}`, { body: '{"entry":[]}', headers: { 'Content-Type': 'application/json' } });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ error: { code: 'invalid_signature', message: expect.any(String), details: [] } });
    expect(unsigned.headers.get('x-content-type-options')).toBe('nosniff');
    expect(unsigned.headers.get('x-request-id')).toBeTruthy();
    const signedForm = messengerWebhook('page-secret');
    const form = await server.call('POST', `/webhooks/${inboxId}`, { body: signedForm.body, headers: { ...signedForm.headers, 'Content-Type': 'text/plain' } });
    expect([form.status, (await form.json()).error.code]).toEqual([415, 'unsupported_media_type']);
    const charset = messengerWebhook('page-secret');
    expect((await server.call('POST', `/webhooks/${inboxId}`, { body: charset.body, headers: { ...charset.headers, 'Content-Type': 'Application/JSON ; charset=utf-8' } })).status).toBe(200);
  });

  it('a body past 1 MB is refused with 413, whether its length is declared or it just keeps coming', async () => {
    const big = JSON.stringify({ entry: [], pad: 'x'.repeat(1_100_000) });
    const declared = await server.call('POST', `/webhooks/${inboxId}`, { body: big, headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': hubSignature('page-secret', big) } });
    expect([declared.status, (await declared.json()).error.code]).toEqual([413, 'payload_too_large']);
    // Chunked, no Content-Length: refused once it grows past the limit; the connection stays usable.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server.url}/webhooks/${inboxId}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      for (let i = 0; i < 11; i++) req.write('x'.repeat(100_000));
      req.end();
    });
    expect([streamed.status, JSON.parse(streamed.body).error.code]).toEqual([413, 'payload_too_large']);
    expect((await server.call('POST', `/webhooks/${inboxId}`, messengerWebhook('page-secret'))).status).toBe(200);
  });

  it('a compressed body is inflated by the full stack and its signature checked on what was sent, as before', async () => {
    const signed = messengerWebhook('page-secret');
    const zipped = await server.call('POST', `/webhooks/${inboxId}`, { body: gzipSync(signed.body), headers: { ...signed.headers, 'Content-Encoding': 'gzip' } });
    expect([zipped.status, await zipped.json()]).toEqual([200, { received: 1 }]);
  });
});
