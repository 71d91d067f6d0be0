import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { FakeMessenger } from '@couponflow/channels/testing';
import { credentialCipher } from '@couponflow/db';
import { createFlow, createInbox, createRuntime, publishFlow, saveDraft } from '@couponflow/flow-runtime';
import { startThrowawayRedis } from '../../../flow-runtime/src/testing/throwawayRedis';
import { createApp } from '../../../server/src/app';
import { hashApiKey, newApiKeySecret } from '../../../server/src/auth/apiKeys';
import { FailedLookupLimiter } from '../../../server/src/http/failedLookupLimiter';
import { benchWorld, expectOk, openEndedPeriod } from '../benchKit';
import type { Measure } from '../measure';

const ratePerSecond = Number(process.env.BENCH_WEBHOOK_RATE ?? 500);
const seconds = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 10);

/** A platform keeps a bounded pool of connections open to a webhook endpoint; so does this load. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function postWebhook(url: string, message: { body: string; headers: Record<string, string> }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: message.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(message.body);
  });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/**
 * SPEC §7: signed Messenger webhooks at 500 events/s into the real server (one process with the
 * workers, as `npm start` runs), each a keyword that starts Distribute Coupon; the latency of an
 * event is from sending its webhook to the offer reaching the loopback Messenger fake.
 */
export const measure: Measure = {
  name: `inbound webhook → offer delivered, p50/p99 at ${ratePerSecond} events/s`,
  unit: 'ms p99',
  target: { atMost: 50 },
  async run() {
    const world = benchWorld();
    const redis = await startThrowawayRedis();
    const fake = await new FakeMessenger().start();
    const cipher = credentialCipher(randomBytes(32));
    const runtime = await createRuntime({ db: world.db, coupons: world.engine, redisUrl: redis.url, publicUrl: 'http://bench.local', cipher });
    const deps = { db: world.db, engine: world.engine, runtime, cipher, config: { publicUrl: 'http://bench.local', rateLimitFailedPerMinute: 0 }, limiter: new FailedLookupLimiter(0), adminKeyHash: hashApiKey(newApiKeySecret()) };
    const server = createApp(deps, pino({ level: 'silent' })).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { db, engine, orgId } = world;
      const inbox = createInbox(db, cipher, orgId, { channel: 'messenger', name: 'Bench', credentials: fake.credentials, apiBaseUrl: fake.url, rateLimitPerSecond: 10_000 });
      const coupon = expectOk(engine.createCoupon(orgId, { name: 'Bench', code: { type: 'common' }, activePeriod: openEndedPeriod() }));
      const flow = createFlow(db, orgId, 'Webhook offer');
      const node = (id: string, type: string, data: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, data });
      saveDraft(db, orgId, flow.id, {
        nodes: [node('start', 'start', { trigger: { type: 'keyword', keywords: ['coupon'] } }), node('offer', 'distribute_coupon', { couponId: coupon.id, message: 'A gift for you', buttonTitle: 'Open', imageUrl: 'https://cdn.example.com/c.png' })],
        edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'offer' }],
      });
      if (!publishFlow(db, orgId, flow.id).ok) throw new Error('publish failed');
      runtime.startWorkers();

      const total = ratePerSecond * seconds;
      const sentAt = new Map<string, number>();
      const webhooks = Array.from({ length: total }, (_, i) => ({ psid: String(1_000_000 + i), ...fake.webhook(String(1_000_000 + i), 'coupon') }));
      // A warm-up event, so connection set-up and first compilations are not in the figures.
      await postWebhook(`${url}/webhooks/${inbox.id}`, fake.webhook('999', 'coupon'));
      const started = Date.now();
      const answers: Array<Promise<number>> = [];
      for (let i = 0; i < total; i++) {
        // Paced against the clock: event i leaves at started + i / rate.
        const due = started + (i * 1000) / ratePerSecond;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        const w = webhooks[i]!;
        sentAt.set(w.psid, Date.now());
        answers.push(postWebhook(`${url}/webhooks/${inbox.id}`, w));
      }
      const statuses = await Promise.all(answers);
      if (statuses.some((s) => s !== 200)) throw new Error(`webhook refused: ${statuses.find((s) => s !== 200)}`);
      const deadline = Date.now() + 120_000;
      const offers = () => fake.accepted('/me/messages').filter((r) => sentAt.has((r.body as { recipient: { id: string } }).recipient.id));
      while (offers().length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const latencies = offers()
        .map((r) => r.at - sentAt.get((r.body as { recipient: { id: string } }).recipient.id)!)
        .sort((a, b) => a - b);
      if (latencies.length < total) throw new Error(`only ${latencies.length} of ${total} offers arrived`);
      return {
        figure: quantile(latencies, 0.99),
        details: { events: total, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99), maxMs: latencies.at(-1)!, sendSeconds: (Date.now() - started) / 1000 },
      };
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.close();
      await fake.close();
      redis.stop();
      world.close();
    }
  },
};
