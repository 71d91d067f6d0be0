import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startThrowawayRedis, type ThrowawayRedis } from '../flow-runtime/src/testing/throwawayRedis';
import { startAppProcess, type AppProcess } from './support/appProcess';
import { hubSignature } from '@couponflow/channels/testing';
import { couponFlow } from './support/chatWorld';

const visitors = 30;
const dataDir = mkdtempSync(join(tmpdir(), 'couponflow-outage-'));
let redis: ThrowawayRedis | undefined;
let app: AppProcess | undefined;

afterAll(async () => {
  app?.kill('SIGKILL');
  redis?.stop();
  await redis?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

/** A request that must come back: a hung answer fails the test instead of waiting forever. */
async function call(method: string, path: string, { key, json }: { key?: string; json?: unknown } = {}) {
  const res = await fetch(`${app!.url}${path}`, {
    method,
    headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(json !== undefined ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' }) },
    body: json !== undefined ? JSON.stringify(json) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text.startsWith('{') ? JSON.parse(text) : text };
}

async function botSaid(inboxId: string, contactId: string, predicate: (texts: string[]) => boolean, what: string) {
  for (let i = 0; i < 600; i++) {
    const { body } = await call('GET', `/api/v1/webchat/${inboxId}/messages?contactId=${contactId}`);
    const items = body.items as Array<{ type: string; text: string; buttons: Array<{ url: string }> }>;
    if (predicate(items.map((m) => m.text))) return items;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${contactId} never got ${what}`);
}

async function until(what: string, check: () => Promise<boolean>) {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('Redis goes away mid-run and comes back', () => {
  it('answers 503 meanwhile, keeps every redemption, stays flat, logs once, and resumes every run', async () => {
    redis = await startThrowawayRedis({ appendOnly: true });
    const port = await freePort();
    app = await startAppProcess(dataDir, port, {
      REDIS_URL: redis.url,
      LOG_LEVEL: 'info',
      RATE_LIMIT_FAILED_PER_MINUTE: '0',
      WEBCHAT_MESSAGES_PER_MINUTE: '0',
    });

    const adminKey = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
    // A shop with a published offer flow, and visitors each holding an offer.
    const { body: created } = await call('POST', '/api/v1/orgs', { key: adminKey, json: { name: 'Outage shop' } });
    const owner = created.apiKey as string;
    const { body: inbox } = await call('POST', '/api/v1/inboxes', { key: owner, json: { channel: 'webchat', name: 'Web', credentials: {} } });
    const { body: coupon } = await call('POST', '/api/v1/coupons', {
      key: owner,
      json: { name: 'Outage', code: { type: 'common' }, activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null } },
    });
    const { body: flow } = await call('POST', '/api/v1/flows', { key: owner, json: { name: 'Offer' } });
    await call('PUT', `/api/v1/flows/${flow.id}/draft`, { key: owner, json: couponFlow('offer', coupon.id) });
    expect((await call('POST', `/api/v1/flows/${flow.id}/publish`, { key: owner })).status).toBe(201);
    // A Messenger page too: its webhooks must answer 503 while Redis is away, so Meta sends again.
    const appSecret = 'outage-app-secret';
    const { body: page } = await call('POST', '/api/v1/inboxes', {
      key: owner,
      json: { channel: 'messenger', name: 'Page', credentials: { appSecret, pageAccessToken: 'page-token', verifyToken: 'verify' }, apiBaseUrl: 'http://127.0.0.1:9' },
    });
    const webhook = JSON.stringify({
      object: 'page',
      entry: [{ id: 'page-1', time: Date.now(), messaging: [{ sender: { id: 'psid-1' }, recipient: { id: 'page-1' }, timestamp: Date.now(), message: { mid: 'm.outage.1', text: 'hello' } }] }],
    });
    const postWebhook = () =>
      fetch(`${app!.url}/webhooks/${page.id}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': hubSignature(appSecret, webhook) },
        body: webhook,
        signal: AbortSignal.timeout(15_000),
      });
    const tokens: string[] = [];
    for (let i = 0; i < visitors; i++) expect((await call('POST', `/api/v1/webchat/${inbox.id}/messages`, { json: { contactId: `v${i}`, text: 'offer' } })).status).toBe(202);
    for (let i = 0; i < visitors; i++) {
      const [offer] = await botSaid(inbox.id, `v${i}`, (texts) => texts.length >= 1, 'the offer');
      tokens.push(new URL(offer!.buttons[0]!.url).pathname.split('/').pop()!);
    }

    // Redis stops.
    redis.stop({ keepData: true });
    await redis.exited;
    await until('healthz reports redis down', async () => (await call('GET', '/healthz')).status === 503);
    expect((await call('GET', '/healthz')).body).toEqual({ status: 'unavailable', database: 'up', redis: 'down' });

    const rssAtOutage = app.rssMb();
    let peakRss = rssAtOutage;
    let refusedMessages = 0;
    const samples: number[] = [];
    // Every visitor redeems while Redis is down: the page answers, the redemption commits.
    for (let i = 0; i < visitors; i++) {
      const redeemed = await call('POST', `/r/${tokens[i]}/redeem`);
      expect(redeemed.status).toBe(200);
      expect(redeemed.body.status).toBe('redeemed');
    }
    // Meanwhile the public writes answer 503 with Retry-After at once, round after round.
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 25; i++) {
        const said = await call('POST', `/api/v1/webchat/${inbox.id}/messages`, { json: { contactId: `late${i}`, text: 'offer', messageId: `late-${i}` } });
        expect(said.status).toBe(503);
        expect(said.body.error.code).toBe('queue_unavailable');
        expect(Number(said.headers.get('retry-after'))).toBeGreaterThan(0);
        refusedMessages++;
      }
      expect((await call('GET', '/healthz')).status).toBe(503);
      peakRss = Math.max(peakRss, app.rssMb());
      samples.push(Math.round(app.rssMb()));
      await new Promise((r) => setTimeout(r, 250));
    }
    const refusedWebhook = await postWebhook();
    expect(refusedWebhook.status).toBe(503);
    expect(Number(refusedWebhook.headers.get('retry-after'))).toBeGreaterThan(0);
    console.log(`redis outage: ${visitors} redemptions kept, ${refusedMessages} messages refused with 503, RSS ${rssAtOutage.toFixed(0)} → peak ${peakRss.toFixed(0)} MB ${samples.join(",")}`);
    expect(peakRss - rssAtOutage).toBeLessThan(80);
    expect(app.output().match(/redis is unreachable/g)).toHaveLength(1);

    // Redis comes back with its append-only file: every waiting run resumes by `redeemed`.
    redis = await startThrowawayRedis({ appendOnly: true, port: redis.port, dir: redis.dir });
    await until('healthz is back to 200', async () => (await call('GET', '/healthz')).status === 200);
    for (let i = 0; i < visitors; i++) await botSaid(inbox.id, `v${i}`, (texts) => texts.some((t) => t.startsWith('port=redeemed')), 'the redeemed reply');
    expect(app.output().match(/redis is reachable again/g)?.length).toBeGreaterThanOrEqual(1);
    // What was refused is accepted now that the platform (here, the visitor) sends it again.
    expect((await call('POST', `/api/v1/webchat/${inbox.id}/messages`, { json: { contactId: 'late0', text: 'offer', messageId: 'late-0' } })).status).toBe(202);
    await botSaid(inbox.id, 'late0', (texts) => texts.length >= 1, 'the offer after the outage');

    // Meta's redelivery of the refused webhook is accepted now.
    expect((await postWebhook()).status).toBe(200);

    // SIGTERM while Redis is down still ends the process.
    redis.stop({ keepData: true });
    await redis.exited;
    await until('healthz reports redis down again', async () => (await call('GET', '/healthz')).status === 503);
    app.kill('SIGTERM');
    expect(await app.exited).toBe(0);
  });
});
