import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { count, eq } from 'drizzle-orm';
import { credentialCipher, flowRuns, webchatMessages } from '@couponflow/db';
import { createFlow, createInbox, createRuntime, publishFlow, saveDraft } from '@couponflow/flow-runtime';
import { startThrowawayRedis } from '../../../flow-runtime/src/testing/throwawayRedis';
import { benchWorld, expectOk, openEndedPeriod } from '../benchKit';
import type { Measure } from '../measure';

const contacts = Number(process.env.BENCH_BROADCAST_CONTACTS ?? 100_000);

/**
 * SPEC §7: a broadcast to 100,000 contacts through BullMQ → flow → Distribute Coupon → channel,
 * ≥ 5,000 contacts/s. Runs the real workers in this process on a throwaway redis-server; the
 * channel is the built-in web chat, so "delivered" means the offer row is there for the visitor.
 */
export const measure: Measure = {
  name: `broadcast ${contacts.toLocaleString('en-US')} contacts → Distribute Coupon → web chat`,
  unit: 'contacts/s',
  target: { atLeast: 5_000 },
  async run() {
    const world = benchWorld();
    const cipher = credentialCipher(randomBytes(32));
    const redis = await startThrowawayRedis();
    const runtime = await createRuntime({ db: world.db, coupons: world.engine, redisUrl: redis.url, publicUrl: 'http://bench.local', cipher });
    try {
      const { db, engine, orgId } = world;
      const inbox = createInbox(db, cipher, orgId, { channel: 'webchat', name: 'Bench', credentials: {}, rateLimitPerSecond: 100_000 });
      const coupon = expectOk(engine.createCoupon(orgId, { name: 'Bench', code: { type: 'common' }, activePeriod: openEndedPeriod() }));
      const flow = createFlow(db, orgId, 'Broadcast');
      const node = (id: string, type: string, data: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, data });
      saveDraft(db, orgId, flow.id, {
        nodes: [node('start', 'start', { trigger: { type: 'broadcast' } }), node('offer', 'distribute_coupon', { couponId: coupon.id, message: 'A gift for you', buttonTitle: 'Open' })],
        edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'offer' }],
      });
      const published = publishFlow(db, orgId, flow.id);
      if (!published.ok) throw new Error(`publish failed: ${published.reason}`);
      runtime.startWorkers();

      const customerIds = Array.from({ length: contacts }, (_, i) => `contact-${i}`);
      const started = performance.now();
      const broadcast = runtime.startBroadcast({ orgId, flowId: flow.id, inboxId: inbox.id, customerIds });
      if (!broadcast.ok) throw new Error(broadcast.reason);
      const queuedMs = performance.now() - started;
      let runsDoneMs = 0;
      let lastReport = started;
      for (;;) {
        if (process.env.BENCH_PROGRESS && performance.now() - lastReport > 5000) {
          lastReport = performance.now();
          console.error(`${Math.round((lastReport - started) / 1000)} s: ${countRuns(world, broadcast.id)} runs, ${countOffers(world)} offers delivered`);
        }
        if (!runsDoneMs && countRuns(world, broadcast.id) === contacts) runsDoneMs = performance.now() - started;
        if (countOffers(world) >= contacts) break;
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
      world.close();
    }
  },
};

const countRuns = (world: ReturnType<typeof benchWorld>, broadcastId: string) =>
  world.db.select({ n: count() }).from(flowRuns).where(eq(flowRuns.broadcastId, broadcastId)).get()?.n ?? 0;
const countOffers = (world: ReturnType<typeof benchWorld>) =>
  world.db.select({ n: count() }).from(webchatMessages).where(eq(webchatMessages.type, 'offer')).get()?.n ?? 0;
