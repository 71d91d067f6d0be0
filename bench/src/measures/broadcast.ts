import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { count, eq } from 'drizzle-orm';
import { createCouponEngine } from '@couponflow/coupons';
import { credentialCipher, type DatabaseDialect } from '@couponflow/db';
import { createFlow, createInbox, createRuntime, publishFlow, saveDraft } from '@couponflow/flow-runtime';
import { startThrowawayRedis } from '../../../flow-runtime/src/testing/throwawayRedis';
import { benchWorld, expectOk, openEndedPeriod, type BenchWorld } from '../benchKit';
import type { Measure } from '../measure';

const contacts = Number(process.env.BENCH_BROADCAST_CONTACTS ?? 100_000);

/**
 * SPEC §7: a broadcast to 100,000 contacts through BullMQ → flow → Distribute Coupon → channel,
 * ≥ 5,000 contacts/s. Runs the real workers in this process on a throwaway redis-server; the
 * channel is the built-in web chat, so "delivered" means the offer row is there for the visitor.
 */
function broadcast(backend: DatabaseDialect): Measure {
  return {
    name: `broadcast ${contacts.toLocaleString('en-US')} contacts → Distribute Coupon → web chat${backend === 'postgres' ? ', PostgreSQL' : ''}`,
    unit: 'contacts/s',
    target: backend === 'sqlite' ? { atLeast: 5_000 } : {},
    async run() {
      const world = await benchWorld(backend);
      const cipher = credentialCipher(randomBytes(32));
      const redis = await startThrowawayRedis();
      const runtime = await createRuntime({ db: world.db, coupons: (stepDb) => createCouponEngine({ db: stepDb }), redisUrl: redis.url, publicUrl: 'http://bench.local', cipher });
      try {
        const { db, engine, orgId } = world;
        const inbox = await createInbox(db, cipher, orgId, { channel: 'webchat', name: 'Bench', credentials: {}, rateLimitPerSecond: 100_000 });
        const coupon = expectOk(await engine.createCoupon(orgId, { name: 'Bench', code: { type: 'common' }, activePeriod: openEndedPeriod() }));
        const flow = await createFlow(db, orgId, 'Broadcast');
        const node = (id: string, type: string, data: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, data });
        await saveDraft(db, orgId, flow.id, {
          nodes: [node('start', 'start', { trigger: { type: 'broadcast' } }), node('offer', 'distribute_coupon', { couponId: coupon.id, message: 'A gift for you', buttonTitle: 'Open' })],
          edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'offer' }],
        });
        const published = await publishFlow(db, orgId, flow.id);
        if (!published.ok) throw new Error(`publish failed: ${published.reason}`);
        runtime.startWorkers();

        const customerIds = Array.from({ length: contacts }, (_, i) => `contact-${i}`);
        const started = performance.now();
        const broadcast = await runtime.startBroadcast({ orgId, flowId: flow.id, inboxId: inbox.id, customerIds });
        if (!broadcast.ok) throw new Error(broadcast.reason);
        const queuedMs = performance.now() - started;
        let runsDoneMs = 0;
        let lastReport = started;
        for (;;) {
          if (process.env.BENCH_PROGRESS && performance.now() - lastReport > 5000) {
            lastReport = performance.now();
            console.error(`${Math.round((lastReport - started) / 1000)} s: ${await countRuns(world, broadcast.id)} runs, ${await countOffers(world)} offers delivered`);
          }
          if (!runsDoneMs && (await countRuns(world, broadcast.id)) === contacts) runsDoneMs = performance.now() - started;
          if ((await countOffers(world)) >= contacts) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const seconds = (performance.now() - started) / 1000;
        return {
          figure: Math.round(contacts / seconds),
          details: { contacts, queuedMs: Math.round(queuedMs), allRunsStartedMs: Math.round(runsDoneMs), allOffersDeliveredMs: Math.round(seconds * 1000) },
        };
      } finally {
        await runtime.close();
        redis.stop();
        await world.close();
      }
    },
  };
}

export const measure = broadcast('sqlite');
export const measurePostgres = broadcast('postgres');

const countRuns = async ({ db }: BenchWorld, broadcastId: string) => {
  const { flowRuns } = db.tables;
  return (await db.select({ n: count() }).from(flowRuns).where(eq(flowRuns.broadcastId, broadcastId)))[0]?.n ?? 0;
};
const countOffers = async ({ db }: BenchWorld) => {
  const { webchatMessages } = db.tables;
  return (await db.select({ n: count() }).from(webchatMessages).where(eq(webchatMessages.type, 'offer')))[0]?.n ?? 0;
};
