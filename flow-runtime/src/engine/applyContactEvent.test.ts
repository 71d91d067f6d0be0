import { eq, inArray } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTransaction } from '@couponflow/db';
import { backends } from '@couponflow/db/testing';
import { deleteFlow } from '../flows/flowStore';
import { twoWorkerShop, type Cleanups } from '../testing/twoWorkerShop';
import { applyBroadcastChunk } from '../workers/broadcastWorker';
import { applyContactEvent } from './applyContactEvent';
import type { ContactEvent } from './contactEvents';
import type { StepEnv } from './stepEnv';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const at = (x: number) => ({ x, y: 0 });
/** "hello" starts it: the bot says hi and waits a minute for an answer. */
const helloFlow = {
  nodes: [
    { id: 'start', type: 'start', position: at(0), data: { trigger: { type: 'keyword', keywords: ['hello'] } } },
    { id: 'hi', type: 'send_message', position: at(1), data: { text: 'Hi there' } },
    { id: 'ask', type: 'wait_for_reply', position: at(2), data: { variable: 'answer', timeoutSeconds: 60 } },
    { id: 'end', type: 'end', position: at(3), data: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'hi' },
    { id: 'e2', source: 'hi', sourceHandle: 'next', target: 'ask' },
    { id: 'e3', source: 'ask', sourceHandle: 'next', target: 'end' },
    { id: 'e4', source: 'ask', sourceHandle: 'timeout', target: 'end' },
  ],
};
const shop = (backend: (typeof backends)[number]) => twoWorkerShop(backend, cleanups, () => helloFlow);

/** Both workers apply their event at the same moment; the outcomes, in a stable order. */
async function atOnce(workers: readonly [StepEnv, StepEnv], first: ContactEvent, second: ContactEvent = first) {
  return (await Promise.all([applyContactEvent(workers[0], first), applyContactEvent(workers[1], second)])).sort();
}

describe.each(backends)('contact events applied by two workers at once, on %s', (backend) => {
  it('a message delivered twice (two workers took it) starts one run and says hi once', async () => {
    const s = await shop(backend);
    const message: ContactEvent = { type: 'message', inboxId: s.inboxId, customerId: 'ann', eventId: 'evt-1', text: 'hello' };
    expect(await atOnce(s.workers, message)).toEqual(['duplicate', 'started']);
    expect(await s.runsOf('ann')).toHaveLength(1);
    expect(await s.messagesTo('ann')).toHaveLength(1);
  });

  it('one broadcast reaches a contact once, even when its start is applied twice at once', async () => {
    const s = await shop(backend);
    const start: ContactEvent = { type: 'broadcast', inboxId: s.inboxId, customerId: 'bob', broadcastId: 'bc_1', flowId: s.flowId, version: 1 };
    expect(await atOnce(s.workers, start)).toEqual(['skipped', 'started']);
    expect(await s.runsOf('bob')).toHaveLength(1);
    expect(await s.messagesTo('bob')).toHaveLength(1);
  });

  it('a broadcast and a keyword arriving together leave the contact one active run, the other cancelled', async () => {
    const s = await shop(backend);
    const start: ContactEvent = { type: 'broadcast', inboxId: s.inboxId, customerId: 'cat', broadcastId: 'bc_2', flowId: s.flowId, version: 1 };
    const message: ContactEvent = { type: 'message', inboxId: s.inboxId, customerId: 'cat', eventId: 'evt-2', text: 'hello' };
    expect(await atOnce(s.workers, start, message)).toEqual(['started', 'started']);
    const runs = await s.runsOf('cat');
    expect(runs.map((r) => r.status).sort()).toEqual(['cancelled', 'waiting']);
  });

  it('a waiting run whose timeout is delivered twice at once leaves by it once', async () => {
    const s = await shop(backend);
    await applyContactEvent(s.workers[0], { type: 'message', inboxId: s.inboxId, customerId: 'dan', eventId: 'evt-3', text: 'hello' });
    const [run] = await s.runsOf('dan');
    expect(run).toMatchObject({ status: 'waiting' });
    const timeout: ContactEvent = { type: 'timeout', inboxId: s.inboxId, customerId: 'dan', runId: run!.id, nodeId: 'ask', waitSerial: run!.waitSerial };
    expect(await atOnce(s.workers, timeout)).toEqual(['applied', 'ignored']);
    const { flowRuns } = s.db.tables;
    const [after] = await s.db.select({ status: flowRuns.status, path: flowRuns.path }).from(flowRuns).where(inArray(flowRuns.id, [run!.id]));
    expect(after!.status).toBe('completed');
    expect(after!.path.filter((step) => step.nodeId === 'end')).toHaveLength(1);
  });

  it('a broadcast chunk taken by two workers at once (a stalled job picked up again) starts each contact’s run once', async () => {
    const s = await shop(backend);
    const customerIds = Array.from({ length: 230 }, (_, i) => `guest-${i}`);
    const chunk = { broadcastId: 'bc_3', flowId: s.flowId, version: 1, inboxId: s.inboxId, customerIds };
    const [one, two] = await Promise.all([applyBroadcastChunk(s.workers[0], chunk), applyBroadcastChunk(s.workers[1], { ...chunk, customerIds: [...customerIds].reverse() })]);
    expect(one.failed + two.failed).toBe(0);
    const { flowRuns, outbox } = s.db.tables;
    const runs = await s.db.select({ customerId: flowRuns.customerId, status: flowRuns.status }).from(flowRuns).where(eq(flowRuns.broadcastId, 'bc_3'));
    expect(runs).toHaveLength(230);
    expect(new Set(runs.map((r) => r.customerId)).size).toBe(230);
    expect(runs.every((r) => r.status === 'waiting')).toBe(true);
    expect((await s.db.select({ kind: outbox.kind }).from(outbox)).filter((r) => r.kind === 'message')).toHaveLength(230);
  });

  it('a broadcast group ends a contact’s waiting run, skips a contact it already reached, and starts the rest', async () => {
    const s = await shop(backend);
    expect(await applyContactEvent(s.workers[0], { type: 'message', inboxId: s.inboxId, customerId: 'fay', eventId: 'evt-5', text: 'hello' })).toBe('started');
    const chunk = (customerIds: string[]) => ({ broadcastId: 'bc_4', flowId: s.flowId, version: 1, inboxId: s.inboxId, customerIds });
    expect(await applyBroadcastChunk(s.workers[0], chunk(['gus']))).toEqual({ contacts: 1, failed: 0 });
    expect(await applyBroadcastChunk(s.workers[1], chunk(['fay', 'gus', 'hal']))).toEqual({ contacts: 3, failed: 0 });

    const { flowRuns } = s.db.tables;
    const runs = await s.db.select({ customerId: flowRuns.customerId, status: flowRuns.status, endReason: flowRuns.endReason, broadcastId: flowRuns.broadcastId }).from(flowRuns);
    const of = (customerId: string) => runs.filter((r) => r.customerId === customerId).sort((a, b) => String(a.broadcastId).localeCompare(String(b.broadcastId)));
    expect(of('fay')).toEqual([
      { customerId: 'fay', status: 'waiting', endReason: null, broadcastId: 'bc_4' },
      { customerId: 'fay', status: 'cancelled', endReason: 'replaced_by_broadcast', broadcastId: null },
    ]);
    expect(of('gus')).toEqual([{ customerId: 'gus', status: 'waiting', endReason: null, broadcastId: 'bc_4' }]);
    expect(of('hal')).toEqual([{ customerId: 'hal', status: 'waiting', endReason: null, broadcastId: 'bc_4' }]);
    expect(await s.messagesTo('gus')).toHaveLength(1);
    expect(await s.messagesTo('fay')).toHaveLength(2);
  });

  it('deleting a flow while a run starts on it (another worker, not yet committed) waits, then refuses: the run is active', async () => {
    const s = await shop(backend);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const inside = new Promise<void>((resolve) => (started = resolve));
    const starting = writeTransaction(s.workers[1].db, async (tx) => {
      const outcome = await applyContactEvent({ ...s.workers[1], db: tx }, { type: 'message', inboxId: s.inboxId, customerId: 'eve', eventId: 'evt-4', text: 'hello' });
      started();
      // The start is made but not committed while the admin deletes the flow.
      await held;
      return outcome;
    });
    await inside;
    const deleting = deleteFlow(s.db, s.orgId, s.flowId);
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    expect(await starting).toBe('started');
    expect(await deleting).toBe('flow_has_active_runs');
  });
});
