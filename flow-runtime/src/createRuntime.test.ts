import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createCouponEngine } from '@couponflow/coupons';
import { backends } from '@couponflow/db/testing';
import { createRuntime, type Runtime } from './createRuntime';
import { twoWorkerShop, type Cleanups } from './testing/twoWorkerShop';
import { webchatHistory } from './webchat/webchatHistory';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const at = (x: number) => ({ x, y: 0 });
const askFlow = {
  nodes: [
    { id: 'start', type: 'start', position: at(0), data: { trigger: { type: 'keyword', keywords: ['hello'] } } },
    { id: 'ask', type: 'send_message', position: at(1), data: { text: 'What is your name?' } },
    { id: 'wait', type: 'wait_for_reply', position: at(2), data: { variable: 'name' } },
    { id: 'thanks', type: 'send_message', position: at(3), data: { text: 'Thanks {{vars.name}}' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
    { id: 'e2', source: 'ask', sourceHandle: 'next', target: 'wait' },
    { id: 'e3', source: 'wait', sourceHandle: 'next', target: 'thanks' },
  ],
};

/** Resolves with the visitor's web chat texts once `count` have been delivered. */
async function chatOf(runtime: Runtime, db: Parameters<typeof webchatHistory>[0], inboxId: string, customerId: string, count: number) {
  let wake = () => {};
  const unsubscribe = await runtime.subscribeWebchat(inboxId, customerId, () => wake());
  try {
    for (;;) {
      // Armed before looking, so a delivery between the look and the wait still wakes us.
      const delivered = new Promise<void>((resolve) => (wake = resolve));
      const items = await webchatHistory(db, inboxId, customerId);
      if (items.length >= count) return items.map((item) => item.text);
      await delivered;
    }
  } finally {
    await unsubscribe();
  }
}

describe.each(backends)('the runtime on %s', (backend) => {
  it('runs a conversation end to end: each message once, through the outbox, the workers and web chat; a redelivered message changes nothing', async () => {
    const s = await twoWorkerShop(backend, cleanups, () => askFlow);
    const runtime = await createRuntime({
      db: s.db,
      coupons: (db) => createCouponEngine({ db }),
      redisUrl: inject('redisUrl'),
      publicUrl: 'http://couponflow.test',
      prefix: `t${randomUUID()}`,
      cipher: s.cipher,
    });
    cleanups.push(() => runtime.close());
    runtime.startWorkers();

    const asked = chatOf(runtime, s.db, s.inboxId, 'ann', 1);
    await runtime.acceptMessage({ inboxId: s.inboxId, customerId: 'ann', eventId: 'm-1', text: 'hello' });
    expect(await asked).toEqual(['What is your name?']);
    const thanked = chatOf(runtime, s.db, s.inboxId, 'ann', 2);
    await runtime.acceptMessage({ inboxId: s.inboxId, customerId: 'ann', eventId: 'm-2', text: 'Ann' });
    expect(await thanked).toEqual(['What is your name?', 'Thanks Ann']);

    // The platform delivers the first message again (its job is long done): nothing more happens.
    await runtime.acceptMessage({ inboxId: s.inboxId, customerId: 'ann', eventId: 'm-1', text: 'hello' });
    await runtime.flushOutbox();
    expect(await s.runsOf('ann')).toEqual([expect.objectContaining({ status: 'completed' })]);
    // Every row was handed over, and none is kept once it is.
    expect(await s.db.select().from(s.db.tables.outbox)).toEqual([]);
  });
});
