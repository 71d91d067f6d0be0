import { randomBytes } from 'node:crypto';
import { createCouponEngine } from '@couponflow/coupons';
import { credentialCipher, sqliteCommits, type DatabaseDialect } from '@couponflow/db';
import { createFlow, createInbox, publishFlow, saveDraft } from '@couponflow/flow-runtime';
import { applyContactEvent } from '../../flow-runtime/src/engine/applyContactEvent';
import type { StepEnv } from '../../flow-runtime/src/engine/stepEnv';
import { applyBroadcastChunk } from '../../flow-runtime/src/workers/broadcastWorker';
import { benchWorld, expectOk, openEndedPeriod, timed } from './benchKit';
import { broadcastFlow } from './broadcastFlow';

/**
 * Profiling aid, not a row of the table: `tsx bench/src/stepCost.ts [sqlite|postgres] [contacts]`
 * measures the flow step alone — a broadcast chunk's contacts, and inbound keyword messages applied
 * 8 at a time as the contact-event shards do — from the event to the commit of its run, coupon and
 * outbox rows, without Redis or delivery (the outbox is left unflushed). Prints CPU per item.
 */
const backend = (process.argv[2] ?? 'sqlite') as DatabaseDialect;
const contacts = Number(process.argv[3] ?? 20_000);

const world = await benchWorld(backend);
const cipher = credentialCipher(randomBytes(32));
const { db, engine, orgId } = world;
const env: StepEnv = { db, coupons: (stepDb) => createCouponEngine({ db: stepDb }), publicUrl: 'http://bench.local', now: () => new Date(), flushOutbox: async () => {} };

try {
  const { inboxId, flowId } = await broadcastFlow(db, engine, cipher, orgId);
  const chunk = (from: number, n: number) => ({ broadcastId: 'bc_step', flowId, version: 1, inboxId, customerIds: Array.from({ length: n }, (_, i) => `contact-${from + i}`) });
  const broadcast = async (from: number, n: number) => {
    for (let at = 0; at < n; at += 500) await applyBroadcastChunk(env, chunk(from + at, Math.min(500, n - at)));
  };
  await broadcast(0, 2000);
  const commitsBefore = backend === 'sqlite' ? sqliteCommits(db) : undefined;
  const b = await timed(() => broadcast(10_000_000, contacts));
  const commits = commitsBefore ? sqliteCommits(db).commits - commitsBefore.commits : NaN;
  console.log(`broadcast step: ${contacts} contacts, ${(contacts / b.seconds).toFixed(0)}/s, cpu ${((b.cpuSeconds * 1000) / contacts).toFixed(3)} ms/contact, ${commits} commits`);

  const messenger = await createInbox(db, cipher, orgId, { channel: 'messenger', name: 'Step', credentials: { appSecret: 's', pageAccessToken: 't', verifyToken: 'v' }, rateLimitPerSecond: 10_000 });
  const coupon = expectOk(await engine.createCoupon(orgId, { name: 'Keyword', code: { type: 'common' }, activePeriod: openEndedPeriod() }));
  const flow = await createFlow(db, orgId, 'Keyword offer');
  const node = (id: string, type: string, data: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, data });
  await saveDraft(db, orgId, flow.id, {
    nodes: [node('start', 'start', { trigger: { type: 'keyword', keywords: ['coupon'] } }), node('offer', 'distribute_coupon', { couponId: coupon.id, message: 'A gift for you', buttonTitle: 'Open' })],
    edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'offer' }],
  });
  if (!(await publishFlow(db, orgId, flow.id)).ok) throw new Error('publish failed');
  // As the shards do: up to 8 events in flight, each its own transaction.
  const messages = async (from: number, n: number) => {
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < n; i = next++) {
        const customerId = String(from + i);
        await applyContactEvent(env, { type: 'message', inboxId: messenger.id, customerId, eventId: `m-${customerId}`, text: 'coupon', receivedAt: Date.now() });
      }
    };
    await Promise.all(Array.from({ length: 8 }, lane));
  };
  await messages(0, 1000);
  const events = Math.round(contacts / 4);
  const m = await timed(() => messages(50_000_000, events));
  console.log(`message step: ${events} events, ${(events / m.seconds).toFixed(0)}/s, cpu ${((m.cpuSeconds * 1000) / events).toFixed(3)} ms/event`);
} finally {
  await world.close();
}
