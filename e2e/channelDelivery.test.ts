import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeLine } from '@couponflow/channels/testing';
import { orgWithKeys, startTestServer, type TestServer } from '../server/src/testing/testServer';
import { api, publishedFlow } from './support/chatWorld';
import { eventually } from './support/platforms';

const node = (id: string, type: string, data: object) => ({ id, type, position: { x: 0, y: 0 }, data });
const edge = (source: string, sourceHandle: string, target: string) => ({ id: `${source}-${sourceHandle}`, source, sourceHandle, target });
const customer = (n: number | string) => `U${String(n).padStart(32, '0')}`;

let server: TestServer;
let line: FakeLine;
let owner: string;

beforeAll(async () => {
  line = await new FakeLine().start();
  server = await startTestServer({ workers: true });
  ({ owner } = await orgWithKeys(server));
});

afterAll(async () => {
  await server.close();
  await line.close();
});

const lineInbox = async (rateLimitPerSecond?: number) =>
  (await api(server, owner, 'POST', '/inboxes', { channel: 'line', name: 'LINE', credentials: line.credentials, apiBaseUrl: line.url, ...(rateLimitPerSecond ? { rateLimitPerSecond } : {}) })).body.id as string;
const textsTo = (to: string) =>
  line.accepted('/v2/bot/message/push').filter((r) => (r.body as { to: string }).to === to).flatMap((r) => (r.body as { messages: Array<{ text: string }> }).messages.map((m) => m.text));

describe('outbound delivery through a channel', () => {
  it('delivers one contact’s messages in order, one at a time, even when the first must be retried', async () => {
    const inboxId = await lineInbox();
    await publishedFlow(server, owner, {
      nodes: [node('start', 'start', { trigger: { type: 'keyword', keywords: ['three'] } }), node('a', 'send_message', { text: 'one' }), node('b', 'send_message', { text: 'two' }), node('c', 'send_message', { text: 'three' })],
      edges: [edge('start', 'next', 'a'), edge('a', 'next', 'b'), edge('b', 'next', 'c')],
    });
    const to = customer('order');
    line.failNext({ status: 429, headers: { 'Retry-After': '1' }, body: { message: 'Too many requests' } }, { match: (r) => r.rawBody.includes('"one"') });
    const webhook = line.webhook(to, 'three');
    // Past its reply token's life, so every message is pushed (and recorded with its recipient).
    await server.call('POST', `/webhooks/${inboxId}`, { body: webhook.body, headers: webhook.headers });
    await eventually(() => textsTo(to), (t) => t.length === 3, 'three messages');
    expect(textsTo(to)).toEqual(['one', 'two', 'three']);
  });

  it('holds an inbox’s rate limit while 1,000 messages go out', async () => {
    const limit = 250;
    const inboxId = await lineInbox(limit);
    const flowId = await publishedFlow(server, owner, { nodes: [node('start', 'start', { trigger: { type: 'broadcast' } }), node('m', 'send_message', { text: 'news' })], edges: [edge('start', 'next', 'm')] });
    const customerIds = Array.from({ length: 1000 }, (_, i) => customer(`r${i}`));
    expect((await api(server, owner, 'POST', `/flows/${flowId}/broadcasts`, { inboxId, customerIds })).status).toBe(202);
    const audience = new Set(customerIds);
    const sent = await eventually(() => line.accepted('/v2/bot/message/push').filter((r) => audience.has((r.body as { to: string }).to)), (s) => s.length >= 1000, '1,000 pushes');
    expect(sent).toHaveLength(1000);
    // The limit is per one-second window of the limiter, whose edges the platform cannot see: so from
    // the fake's clock, no stretch of one second holds more than two windows' worth, and the whole
    // run, whose first window may be full at once, takes at least (1000 - limit) / limit seconds.
    const times = sent.map((r) => r.at).sort((a, b) => a - b);
    let busiest = 0;
    for (let i = 0, j = 0; j < times.length; j++) {
      while (times[j]! - times[i]! >= 1000) i++;
      busiest = Math.max(busiest, j - i + 1);
    }
    expect(busiest).toBeLessThanOrEqual(2 * limit);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(((1000 - limit) / limit) * 1000 - 100);
  });

  it('a platform slow and failing for a while: each message retried and delivered once, the queue bounded, other inboxes not held up', async () => {
    const troubled = await new FakeLine().start();
    try {
      const slowInbox = (await api(server, owner, 'POST', '/inboxes', { channel: 'line', name: 'Troubled LINE', credentials: troubled.credentials, apiBaseUrl: troubled.url, rateLimitPerSecond: 1000 })).body.id as string;
      const healthyInbox = await lineInbox(1000);
      const flowId = await publishedFlow(server, owner, { nodes: [node('start', 'start', { trigger: { type: 'broadcast' } }), node('m', 'send_message', { text: 'weekly news' })], edges: [edge('start', 'next', 'm')] });
      troubled.slow(1500);
      troubled.failNext({ status: 500, body: { message: 'Internal server error' } }, { times: 30 });
      const slowAudience = Array.from({ length: 120 }, (_, i) => customer(`slow${i}`));
      const healthyAudience = Array.from({ length: 120 }, (_, i) => customer(`fast${i}`));
      expect((await api(server, owner, 'POST', `/flows/${flowId}/broadcasts`, { inboxId: slowInbox, customerIds: slowAudience })).status).toBe(202);
      expect((await api(server, owner, 'POST', `/flows/${flowId}/broadcasts`, { inboxId: healthyInbox, customerIds: healthyAudience })).status).toBe(202);

      const healthy = new Set(healthyAudience);
      const outbound = server.runtime.queues.outbound;
      let peakQueued = 0;
      const pushesTo = (fake: FakeLine, audience: Set<string>) => fake.accepted('/v2/bot/message/push').filter((r) => audience.has((r.body as { to: string }).to));
      await eventually(
        async () => {
          const counts = await outbound.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
          peakQueued = Math.max(peakQueued, Object.values(counts).reduce((a, b) => a + b, 0));
          return pushesTo(line, healthy).length;
        },
        (n) => n >= healthyAudience.length,
        'the healthy inbox’s messages',
      );
      // The healthy inbox was served while the troubled one still held most of its messages.
      const slowDoneMeanwhile = pushesTo(troubled, new Set(slowAudience)).length;
      expect(slowDoneMeanwhile).toBeLessThan(slowAudience.length / 2);

      const slowSent = await eventually(() => pushesTo(troubled, new Set(slowAudience)), (sent) => sent.length >= slowAudience.length, 'the troubled inbox’s messages');
      const perRecipient = new Map<string, number>();
      for (const r of slowSent) perRecipient.set((r.body as { to: string }).to, (perRecipient.get((r.body as { to: string }).to) ?? 0) + 1);
      expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
      expect(perRecipient.size).toBe(slowAudience.length);
      expect(troubled.requests.filter((r) => r.status === 500)).toHaveLength(30);
      // One job per message, however often it waited or was retried: the queue never grew past that.
      expect(peakQueued).toBeLessThanOrEqual(slowAudience.length + healthyAudience.length);
      console.log(`slow platform: ${slowDoneMeanwhile} of ${slowAudience.length} delivered when the healthy inbox had all ${healthyAudience.length}; peak ${peakQueued} outbound jobs`);
    } finally {
      await troubled.close();
    }
  });

  it('a run whose inbox was removed leaves by error instead of waiting forever', async () => {
    const inboxId = await lineInbox();
    const coupon = await api(server, owner, 'POST', '/coupons', { name: 'Gone', code: { type: 'common' }, activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null } });
    const flowId = await publishedFlow(server, owner, {
      nodes: [node('start', 'start', { trigger: { type: 'broadcast' } }), node('offer', 'distribute_coupon', { couponId: coupon.body.id, message: 'Gift', buttonTitle: 'Open' }), node('sorry', 'send_message', { text: 'sorry' })],
      edges: [edge('start', 'next', 'offer'), edge('offer', 'error', 'sorry')],
    });
    // Workers paused: the broadcast is accepted, then the inbox goes before anything is sent.
    await server.runtime.stopWorkers();
    await api(server, owner, 'POST', `/flows/${flowId}/broadcasts`, { inboxId, customerIds: [customer('gone')] });
    expect((await api(server, owner, 'DELETE', `/inboxes/${inboxId}`)).status).toBe(204);
    server.runtime.startWorkers();
    const { flowRuns } = server.db.tables;
    const run = await eventually(async () => (await server.db.select().from(flowRuns).where(eq(flowRuns.customerId, customer('gone'))).limit(1))[0], (r) => r?.status === 'completed', 'the run to end');
    expect(run!.vars['coupon.reason']).toBe('channel_unavailable');
    expect(textsTo(customer('gone'))).toEqual([]);
  });
});
