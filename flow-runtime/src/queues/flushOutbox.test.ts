import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { connectDatabase, writeTransaction, type Database, type DatabaseHandle } from '@couponflow/db';
import { backends, openTestDatabase } from '@couponflow/db/testing';
import { outboundOrder } from '../workers/outboundOrder';
import { flushOutbox, type OutboundBatch } from './flushOutbox';
import { createQueues, type RuntimeQueues } from './runtimeQueues';
import { writeContactEvent, writeOutbox } from './writeOutbox';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One process's view: its own database pool and its own Redis connections, on the shared prefix. */
interface Process {
  db: Database;
  queues: RuntimeQueues;
  /** every job id this process handed to BullMQ, and every message (`m.<outbox id>`) in a batch job */
  handed: string[];
}

async function processes(backend: (typeof backends)[number], count: number): Promise<Process[]> {
  const first = await openTestDatabase(backend, inject('postgresUrl'));
  cleanups.push(() => first.close());
  const prefix = `t${randomUUID()}`;
  const result: Process[] = [];
  for (let i = 0; i < count; i++) {
    // PostgreSQL: a pool of its own, as another host would have. SQLite: the one connection of the
    // process (an in-memory database), flushed twice at once.
    let handle: DatabaseHandle = first;
    if (backend === 'postgres' && i > 0) {
      handle = await connectDatabase({ url: first.url, migrate: false });
      cleanups.push(() => handle.close());
    }
    const queues = await createQueues(inject('redisUrl'), { prefix, shards: 2 });
    cleanups.push(() => queues.close());
    const handed: string[] = [];
    const note = (data: unknown, jobId: string | undefined) => {
      const batch = (data as Partial<OutboundBatch>).messages;
      if (batch) handed.push(...batch.map((m) => `m.${m.outboxId}`));
      else handed.push(String(jobId));
    };
    for (const queue of [queues.outbound, queues.broadcasts, ...queues.contactShards] as Queue[]) {
      const addBulk = queue.addBulk.bind(queue);
      queue.addBulk = (jobs: Parameters<Queue['addBulk']>[0]) => {
        for (const job of jobs) note(job.data, job.opts?.jobId);
        return addBulk(jobs);
      };
      const add = queue.add.bind(queue);
      queue.add = (name: string, data: unknown, opts?: Parameters<Queue['add']>[2]) => {
        note(data, opts?.jobId);
        return add(name, data, opts);
      };
    }
    result.push({ db: handle.db, queues, handed });
  }
  return result;
}

const now = new Date('2026-06-01T12:00:00.000Z');

/** Messages waiting in the outbound queue's batch jobs. */
const queuedMessages = async (queues: RuntimeQueues) => (await queues.outbound.getJobs(['waiting'])).reduce((n, job) => n + (job.data as OutboundBatch).messages.length, 0);

/** The outbox as it stands, to put back as a flush that died before deleting its rows leaves it. */
const outboxRows = (db: Database) => db.select().from(db.tables.outbox);

/** Three contacts' messages, interleaved, and a check event per message, committed together. */
async function commitWork(db: Database, perContact: number) {
  await writeTransaction(db, async (tx) => {
    for (let i = 0; i < perContact; i++) {
      for (const customerId of ['ann', 'bob', 'cat']) {
        await writeOutbox(tx, { kind: 'message', orgId: 'org_1', inboxId: 'inb_1', customerId, runId: null, nodeId: null, payload: { type: 'text', text: `${i}`, buttons: [] }, dueAt: null, now });
        const event = { type: 'check', inboxId: 'inb_1', customerId, runId: `run_${customerId}`, nodeId: 'offer', waitSerial: 1, check: 'offer_expiry', dueAt: now.getTime() + i } as const;
        await writeContactEvent(tx, 'org_1', event, { dueAt: null, now });
      }
    }
  });
}

describe.each(backends)('the transactional outbox on %s', (backend) => {
  it('flushed by two processes at once, hands each row to Redis once, in each contact’s order, and leaves no row behind', async () => {
    const [a, b] = await processes(backend, 2);
    await commitWork(a!.db, 40);
    // Small batches, so the two flushes interleave many times.
    await Promise.all([flushOutbox(a!.db, a!.queues, now, 25), flushOutbox(b!.db, b!.queues, now, 25)]);

    const handed = [...a!.handed, ...b!.handed];
    expect(handed).toHaveLength(240);
    expect(new Set(handed).size).toBe(240);
    const { outbox } = a!.db.tables;
    expect(await a!.db.select({ id: outbox.id }).from(outbox)).toEqual([]);
    expect(await queuedMessages(a!.queues)).toBe(120);
    // Each contact's messages are registered for sending in the order they were written.
    const redis = a!.queues.connection;
    for (const customerId of ['ann', 'bob', 'cat']) {
      const order = (await redis.zrange(`${a!.queues.prefix}:outbound-order:inb_1:${customerId}`, 0, -1)).map(Number);
      expect(order).toHaveLength(40);
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
    // The inbox's delivery is 120 messages behind, each counted once although two flushes raced.
    expect(await outboundOrder(redis, a!.queues.prefix).pending('inb_1')).toBe(120);
  });

  it('counts an inbox’s messages queued and not yet sent: a repeat hand-over adds none, each message done takes one off', async () => {
    const [p] = await processes(backend, 1);
    await commitWork(p!.db, 2);
    const rows = await outboxRows(p!.db);
    await flushOutbox(p!.db, p!.queues, now);
    const order = outboundOrder(p!.queues.connection, p!.queues.prefix);
    expect(await order.pending('inb_1')).toBe(6);
    // The flush died before deleting its rows: they are handed over again.
    await p!.db.insert(p!.db.tables.outbox).values(rows);
    await flushOutbox(p!.db, p!.queues, now);
    expect(await order.pending('inb_1')).toBe(6);

    const [first, second] = (await p!.queues.connection.zrange(`${p!.queues.prefix}:outbound-order:inb_1:ann`, 0, -1)).map(Number);
    await order.done('inb_1', 'ann', first!);
    // Done twice (a job taken again after a crash): counted once.
    await order.done('inb_1', 'ann', first!);
    expect(await order.pending('inb_1')).toBe(5);
    await order.done('inb_1', 'ann', second!);
    expect(await order.pending('inb_1')).toBe(4);
    expect(await order.pending('inb_2')).toBe(0);
  });

  it('a row handed over again after its message went out (the flush died before deleting it) holds up nobody', async () => {
    const [p] = await processes(backend, 1);
    await writeOutbox(p!.db, { kind: 'message', orgId: 'org_1', inboxId: 'inb_1', customerId: 'ann', runId: null, nodeId: null, payload: { type: 'text', text: 'hi', buttons: [] }, dueAt: null, now });
    const rows = await outboxRows(p!.db);
    await flushOutbox(p!.db, p!.queues, now);
    const orderKey = `${p!.queues.prefix}:outbound-order:inb_1:ann`;
    const [sent] = await p!.queues.connection.zrange(orderKey, 0, -1);
    // The outbound worker sent it and let the next message go.
    await p!.queues.connection.zrem(orderKey, sent!);
    await p!.db.insert(p!.db.tables.outbox).values(rows);

    await flushOutbox(p!.db, p!.queues, now);
    expect(await p!.queues.connection.zrange(orderKey, 0, -1)).toEqual([]);
    expect(await queuedMessages(p!.queues)).toBe(1);
  });
});
