import { randomUUID } from 'node:crypto';
import type { Worker } from 'bullmq';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createCouponEngine } from '@couponflow/coupons';
import type { Database } from '@couponflow/db';
import { backends } from '@couponflow/db/testing';
import { channelRegistry } from '../channels/channelRegistry';
import type { Delivery, DeliveryOutcome } from '../delivery/channelSender';
import type { StepEnv } from '../engine/stepEnv';
import { createInbox } from '../inboxes/inboxStore';
import { flushOutbox } from '../queues/flushOutbox';
import { createQueues, type RuntimeQueues } from '../queues/runtimeQueues';
import { writeOutbox } from '../queues/writeOutbox';
import { outboundOrder } from './outboundOrder';
import { outboundWorker } from './outboundWorker';
import { testOrganisation } from '../testing/testOrganisation';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A web chat inbox whose messages go to test doubles, its queues (short locks: a dead worker's job is taken up again soon), and its outbox. */
async function shop(backend: (typeof backends)[number]) {
  const { db, orgId, cipher } = await testOrganisation(backend, cleanups);
  const inbox = await createInbox(db, cipher, orgId, { channel: 'webchat', name: 'Chat', credentials: {} });
  const base = await createQueues(inject('redisUrl'), { prefix: `t${randomUUID()}`, shards: 2 });
  cleanups.push(() => base.close());
  const queues: RuntimeQueues = { ...base, workerOptions: () => ({ ...base.workerOptions(), lockDuration: 1000, stalledInterval: 300 }) };
  const env: StepEnv = { db, coupons: (d: Database) => createCouponEngine({ db: d }), publicUrl: 'http://couponflow.test', now: () => new Date(), flushOutbox: async () => {} };
  const registry = channelRegistry(db, cipher, {});
  const order = outboundOrder(queues.connection, queues.prefix);
  return {
    queues,
    /** Commits the messages (customer, text) in this order and hands them to Redis in one batch. */
    async queue(messages: Array<[string, string]>) {
      for (const [customerId, text] of messages)
        await writeOutbox(db, { kind: 'message', orgId, inboxId: inbox.id, customerId, runId: null, nodeId: null, payload: { type: 'text', text, buttons: [] }, dueAt: null, now: new Date() });
      await flushOutbox(db, queues);
    },
    /** An outbound worker whose web chat is `send` (on web chat's own delivery queue). */
    worker(send: (delivery: Delivery) => Promise<DeliveryOutcome>): Worker {
      const worker = outboundWorker(env, queues, registry, { senders: { webchat: { send } }, queue: queues.outboundWebchat });
      cleanups.push(() => worker.close(true));
      return worker;
    },
    /** The inbox's messages registered and not yet done. */
    pending: () => order.pending(inbox.id),
  };
}

/** What a platform double received and accepted, in order: `customer:text`. */
function platform() {
  const accepted: string[] = [];
  const tried: string[] = [];
  return {
    accepted,
    tried,
    take: (delivery: Delivery) => {
      const line = `${delivery.customerId}:${delivery.message.text}`;
      tried.push(line);
      return line;
    },
  };
}

async function until(what: string, condition: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 3000; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting until ${what}`);
}

describe.each(backends)('outbound batches on %s', (backend) => {
  it('one contact’s message is refused for a moment: the rest of its batch goes out, it is retried on its own, and that contact’s next message still follows it', async () => {
    const s = await shop(backend);
    const p = platform();
    let refusedOnce = false;
    s.worker(async (delivery) => {
      const line = p.take(delivery);
      if (line === 'ann:first' && !refusedOnce) {
        refusedOnce = true;
        return { ok: false, permanent: false, reason: 'rate_limited_by_platform', retryAfterMs: 200 };
      }
      p.accepted.push(line);
      return { ok: true };
    });
    await s.queue([
      ['ann', 'first'],
      ['bob', 'hello'],
      ['cat', 'hello'],
      ['ann', 'second'],
      ['dan', 'hello'],
    ]);

    await until('every message is accepted', () => p.accepted.length === 5);
    await until('nothing is left pending', async () => (await s.pending()) === 0);
    expect([...p.accepted].sort()).toEqual(['ann:first', 'ann:second', 'bob:hello', 'cat:hello', 'dan:hello']);
    expect(p.accepted.indexOf('ann:first')).toBeLessThan(p.accepted.indexOf('ann:second'));
    // The others went out with the batch, before ann's first message was tried again.
    expect(p.accepted.indexOf('ann:first')).toBeGreaterThan(Math.max(...['bob:hello', 'cat:hello', 'dan:hello'].map((l) => p.accepted.indexOf(l))));
    expect(p.tried.filter((l) => l === 'ann:first')).toHaveLength(2);
    expect(p.tried.filter((l) => l === 'ann:second')).toHaveLength(1);
  });

  it('a worker dies in the middle of a batch: the batch taken up again sends what was left, and nothing twice', async () => {
    const s = await shop(backend);
    const p = platform();
    const audience = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay'];
    // The first worker gets answers for three contacts; the calls for the others never return.
    const dying = s.worker(async (delivery) => {
      const line = p.take(delivery);
      if (['dan', 'eve', 'fay'].includes(delivery.customerId)) return new Promise<never>(() => {});
      p.accepted.push(line);
      return { ok: true };
    });
    await s.queue(audience.map((c) => [c, 'news']));
    await until('three are accepted and recorded', async () => p.accepted.length === 3 && (await s.pending()) === 3);
    // The process is gone: its lock on the batch is no longer renewed.
    await dying.close(true);

    s.worker(async (delivery) => {
      p.accepted.push(p.take(delivery));
      return { ok: true };
    });
    await until('the rest is accepted', async () => (await s.pending()) === 0);
    expect([...p.accepted].sort()).toEqual(audience.map((c) => `${c}:news`));
    // The second worker tried only what the first had left without an answer.
    expect(p.tried.filter((l) => ['ann:news', 'bob:news', 'cat:news'].includes(l))).toHaveLength(3);
  });
});
