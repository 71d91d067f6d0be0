import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithKeys, startTestServer, type TestServer } from '../testing/testServer';

const line = { channel: 'line', name: 'Shop LINE', credentials: { channelSecret: 'line-secret-0123456789', channelAccessToken: 'line-token-abcdefghijkl' } };

describe('inboxes', () => {
  let server: TestServer;
  let shop: Awaited<ReturnType<typeof orgWithKeys>>;
  let other: Awaited<ReturnType<typeof orgWithKeys>>;
  beforeAll(async () => {
    server = await startTestServer();
    shop = await orgWithKeys(server, 'Shop');
    other = await orgWithKeys(server, 'Other');
  });
  afterAll(() => server.close());
  const call = (key: string, method: string, path: string, json?: unknown) => server.call(method, `/api/v1${path}`, { key, json });

  it('connect a channel: the answer has the webhook URL, credentials masked; they are sealed at rest', async () => {
    const res = await call(shop.owner, 'POST', '/inboxes', line);
    expect(res.status).toBe(201);
    const inbox = await res.json();
    expect(inbox).toMatchObject({ channel: 'line', rateLimitPerSecond: 1000, webhookUrl: `http://couponflow.test/webhooks/${inbox.id}`, credentials: { channelSecret: '****6789', channelAccessToken: '****ijkl' } });
    const { inboxes } = server.db.tables;
    const [row] = await server.db.select().from(inboxes).where(eq(inboxes.id, inbox.id));
    expect(row).toBeDefined();
    expect(row!.credentials).not.toContain('line-secret');
    expect(row!.credentials).toMatch(/^v1\./);
    for (const read of [await call(shop.designer, 'GET', `/inboxes/${inbox.id}`), await call(shop.owner, 'GET', '/inboxes')])
      expect(JSON.stringify(await read.json())).not.toMatch(/line-secret|line-token/);
  });

  it('refuse credentials that do not fit the channel', async () => {
    const res = await call(shop.owner, 'POST', '/inboxes', { channel: 'whatsapp', name: 'WA', credentials: { accessToken: 'x' } });
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe('validation_failed');
  });

  it('change name, rate and credentials; remove; another organisation sees none of it', async () => {
    const { id } = await (await call(shop.owner, 'POST', '/inboxes', line)).json();
    const patched = await call(shop.admin, 'PATCH', `/inboxes/${id}`, { name: 'Renamed', rateLimitPerSecond: 50, credentials: { channelSecret: 'new-secret-xxxxxxxx9999', channelAccessToken: 'new-token-yyyyyyyyy8888' } });
    expect(await patched.json()).toMatchObject({ name: 'Renamed', rateLimitPerSecond: 50, credentials: { channelSecret: '****9999' } });
    expect((await call(shop.owner, 'PATCH', `/inboxes/${id}`, { credentials: { appSecret: 'x' } })).status).toBe(422);
    expect((await call(shop.designer, 'PATCH', `/inboxes/${id}`, { name: 'x' })).status).toBe(403);
    for (const [method, body] of [['GET'], ['PATCH', { name: 'x' }], ['DELETE']] as const) expect((await call(other.owner, method, `/inboxes/${id}`, body)).status).toBe(404);
    expect((await call(shop.owner, 'DELETE', `/inboxes/${id}`)).status).toBe(204);
    expect((await call(shop.owner, 'GET', `/inboxes/${id}`)).status).toBe(404);
  });
});
