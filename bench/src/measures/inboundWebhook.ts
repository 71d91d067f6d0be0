import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createCouponEngine } from '@couponflow/coupons';
import { credentialCipher } from '@couponflow/db';
import { createFlow, createInbox, createRuntime, publishFlow, saveDraft } from '@couponflow/flow-runtime';
import { startThrowawayRedis } from '../../../flow-runtime/src/testing/throwawayRedis';
import { createApp } from '../../../server/src/app';
import { hashApiKey, newApiKeySecret } from '../../../server/src/auth/apiKeys';
import { ClientRateLimiter } from '../../../server/src/http/clientRateLimiter';
import { FailedLookupLimiter } from '../../../server/src/http/failedLookupLimiter';
import { benchWorld, expectOk, openEndedPeriod } from '../benchKit';
import type { Measure } from '../measure';

const rate = Number(process.env.BENCH_WEBHOOK_RATE ?? 500);
const seconds = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 10);

type LoadMessage =
  | { type: 'ready'; url: string; credentials: { appSecret: string; pageAccessToken: string; verifyToken: string } }
  | { type: 'done'; events: number; p50Ms: number; p99Ms: number; maxMs: number; sendSeconds: number }
  | { type: 'failed'; error: string };

/**
 * SPEC §7: signed Messenger webhooks at 500 events/s into the real server (with its workers in the
 * same process, as `npm start` runs), each a keyword that starts Distribute Coupon. A child process
 * plays Messenger (webhooks out, offers in); an event's latency is from its webhook leaving to its
 * offer arriving there.
 */
export const measure: Measure = {
  name: `inbound webhook → offer delivered, p50/p99 at ${rate} events/s`,
  unit: 'ms p99',
  target: { atMost: 50 },
  async run() {
    const world = await benchWorld();
    const redis = await startThrowawayRedis();
    const load = fork(fileURLToPath(new URL('./webhookLoad.ts', import.meta.url)), [], { execArgv: ['--import', import.meta.resolve('tsx')], stdio: 'inherit' });
    const next = () => new Promise<LoadMessage>((resolve) => load.once('message', (m) => resolve(m as LoadMessage)));
    const cipher = credentialCipher(randomBytes(32));
    const runtime = await createRuntime({ db: world.db, coupons: (stepDb) => createCouponEngine({ db: stepDb }), redisUrl: redis.url, publicUrl: 'http://bench.local', cipher });
    const deps = {
      db: world.db,
      engine: world.engine,
      runtime,
      cipher,
      config: { publicUrl: 'http://bench.local', rateLimitFailedPerMinute: 0, trustProxy: undefined, webchatMessagesPerMinute: 0, maxOpenStreams: 100, maxOpenStreamsPerClient: 100 },
      limiter: new FailedLookupLimiter(0),
      webchatLimiter: new ClientRateLimiter('webchat-messages', 0),
      adminKeyHash: hashApiKey(newApiKeySecret()),
    };
    const server = createApp(deps, pino({ level: 'silent' })).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ready = await next();
      if (ready.type !== 'ready') throw new Error('the load process did not start');
      const { db, engine, orgId } = world;
      const inbox = await createInbox(db, cipher, orgId, { channel: 'messenger', name: 'Bench', credentials: ready.credentials, apiBaseUrl: ready.url, rateLimitPerSecond: 10_000 });
      const coupon = expectOk(await engine.createCoupon(orgId, { name: 'Bench', code: { type: 'common' }, activePeriod: openEndedPeriod() }));
      const flow = await createFlow(db, orgId, 'Webhook offer');
      const node = (id: string, type: string, data: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, data });
      await saveDraft(db, orgId, flow.id, {
        nodes: [node('start', 'start', { trigger: { type: 'keyword', keywords: ['coupon'] } }), node('offer', 'distribute_coupon', { couponId: coupon.id, message: 'A gift for you', buttonTitle: 'Open', imageUrl: 'https://cdn.example.com/c.png' })],
        edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'offer' }],
      });
      if (!(await publishFlow(db, orgId, flow.id)).ok) throw new Error('publish failed');
      runtime.startWorkers();

      const finished = next();
      const cpuBefore = process.cpuUsage();
      load.send({ type: 'go', webhookUrl: `${url}/webhooks/${inbox.id}`, rate, seconds });
      const result = await finished;
      const cpu = process.cpuUsage(cpuBefore);
      if (result.type !== 'done') throw new Error(result.type === 'failed' ? result.error : 'unexpected message');
      return { figure: result.p99Ms, details: { events: result.events, p50Ms: result.p50Ms, p99Ms: result.p99Ms, maxMs: result.maxMs, sendSeconds: result.sendSeconds, cpuMsPerEvent: Math.round(((cpu.user + cpu.system) / 1000 / result.events) * 1000) / 1000 } };
    } finally {
      load.kill();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.close();
      redis.stop();
      await world.close();
    }
  },
};
