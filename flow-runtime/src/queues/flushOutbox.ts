import type { JobsOptions, Queue } from 'bullmq';
import { handOverOutbox, type Database, type OutboxRow } from '@couponflow/db';
import type { OutboundMessage } from '@couponflow/nodes/executors';
import { broadcastChunkJob, type BroadcastChunk } from '../broadcasts/broadcastChunk';
import type { ContactEvent } from '../engine/contactEvents';
import { deliveryQueueOf } from './deliveryQueue';
import { contactEventJob } from './enqueueContactEvent';
import { outboundOrder, type OutboundOrder } from '../workers/outboundOrder';
import { keepJobs, type RuntimeQueues } from './runtimeQueues';

export interface OutboundJob {
  outboxId: number;
  orgId: string;
  inboxId: string;
  customerId: string;
  runId: string | null;
  nodeId: string | null;
  message: OutboundMessage;
}

/** One message of a batch (its inbox and org are the batch's). */
export type OutboundItem = Omit<OutboundJob, 'orgId' | 'inboxId'>;

/** Many messages of one inbox in one job: what a hand-over queues (see outboundBatch). */
export interface OutboundBatch {
  orgId: string;
  inboxId: string;
  messages: OutboundItem[];
}

/**
 * A delivered message's job is removed at once: each message's claim (kept a day, see
 * outboundOrder) already makes a repeated hand-over or retry job send nothing twice, and keeping
 * hundreds of thousands of finished jobs cost Redis work on every completion. Failed jobs are kept.
 */
export const outboundJobOptions = {
  removeOnComplete: true,
  removeOnFail: keepJobs.removeOnFail,
  attempts: 8,
  backoff: { type: 'custom' },
} as const;

/** At most this many messages per batch job: a batch's web chat rows share one write transaction. */
export const outboundBatchSize = 100;

type Row = OutboxRow;

/**
 * Hands committed outbox rows to BullMQ and deletes them. Every job id derives from the row (or
 * from the event's own identity), so handing a row over twice after a crash is harmless.
 * Throws when Redis refuses; the rows stay for the next try.
 */
export async function flushOutbox(db: Database, queues: RuntimeQueues, now = new Date(), batch = 2000): Promise<number> {
  let total = 0;
  for (;;) {
    const handed = await handOverOutbox(db, batch, (rows) => handOver(db, queues, rows, now));
    total += handed;
    if (handed < batch) return total;
  }
}

/** Adds the rows' jobs to BullMQ; throws when Redis refuses. */
async function handOver(db: Database, queues: RuntimeQueues, rows: Row[], now: Date): Promise<void> {
  const messages = rows.filter((r) => r.kind === 'message');
  if (messages.length) {
    // Each contact's order is registered before its jobs exist, so no job can overtake an earlier one.
    await orderOf(queues).register(
      messages.map((r) => ({ outboxId: r.id, inboxId: r.inboxId, customerId: r.customerId, legacyJobKey: queues.outbound.toKey(outboundJobId(r.id)) })),
    );
    const byQueue = new Map<Queue, Row[][]>();
    for (const rows of outboundBatches(messages)) {
      const queue = await deliveryQueueOf(db, queues, rows[0]!.inboxId);
      byQueue.set(queue, [...(byQueue.get(queue) ?? []), rows]);
    }
    for (const [queue, batches] of byQueue) await addJobs(queue, batches.map(outboundBatchJob));
  }
  const events = rows.filter((r) => r.kind === 'event' || r.kind === 'timeout');
  await Promise.all(
    [...groupBy(events, (r) => contactEventJob(queues, eventOf(r)).queue)].map(([queue, group]) =>
      addJobs(
        queue,
        group.map((r) => {
          const job = contactEventJob(queues, eventOf(r), {
            delayMs: Math.max(0, (r.dueAt?.getTime() ?? 0) - now.getTime()),
            fallbackJobId: `${r.kind === 'timeout' ? 't' : 'e'}.${r.id}`,
          });
          return { name: job.name, data: job.data, opts: job.opts };
        }),
      ),
    ),
  );
  const chunks = rows.filter((r) => r.kind === 'broadcast_chunk');
  if (chunks.length) await addJobs(queues.broadcasts, chunks.map((r) => broadcastChunkJob(r.payload as BroadcastChunk, r.id)));
}

/**
 * One job by itself (most hand-overs under a steady trickle of events): `addBulk` wraps even one
 * job in a MULTI pipeline, which copies every script defined on the connection.
 */
async function addJobs(queue: Queue, jobs: Array<{ name: string; data: unknown; opts: JobsOptions }>): Promise<void> {
  const [only] = jobs;
  if (jobs.length === 1 && only) await queue.add(only.name, only.data, only.opts);
  else if (jobs.length > 1) await queue.addBulk(jobs);
}

// One per queues: building it looks up its scripts on the connection, on every hand-over.
const orders = new WeakMap<RuntimeQueues, OutboundOrder>();
function orderOf(queues: RuntimeQueues): OutboundOrder {
  let order = orders.get(queues);
  if (!order) orders.set(queues, (order = outboundOrder(queues.connection, queues.prefix)));
  return order;
}

/** The id of a message's job of its own (a retry, or a message that waits for its turn). */
export const outboundJobId = (outboxId: number) => `o.${outboxId}`;

/** The rows' messages by inbox, in id order, at most `outboundBatchSize` a batch. */
function outboundBatches(rows: Row[]): Row[][] {
  const batches: Row[][] = [];
  for (const group of groupBy(rows, (r) => r.inboxId).values())
    for (let i = 0; i < group.length; i += outboundBatchSize) batches.push(group.slice(i, i + outboundBatchSize));
  return batches;
}

function outboundBatchJob(rows: Row[]) {
  const [first] = rows as [Row];
  return {
    name: 'batch',
    data: {
      orgId: first.orgId,
      inboxId: first.inboxId,
      messages: rows.map((r) => ({ outboxId: r.id, customerId: r.customerId, runId: r.runId, nodeId: r.nodeId, message: r.payload as OutboundMessage })),
    } satisfies OutboundBatch,
    opts: { ...outboundJobOptions, jobId: batchJobId(rows) },
  };
}

/**
 * Named after every row it carries: a hand-over repeated after a crash with the same rows adds
 * nothing; with other rows (more were committed meanwhile) it adds a second batch, whose messages
 * already taken by the first are skipped by their claims.
 */
function batchJobId(rows: Row[]): string {
  let hash = 0x811c9dc5;
  for (const r of rows) {
    hash ^= r.id;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `ob.${rows[0]!.id}.${rows.length}.${hash.toString(36)}`;
}

/** `timeout` rows written before events had their own kind carry only the wait serial. */
function eventOf(r: Row): ContactEvent {
  if (r.kind === 'event') return r.payload as ContactEvent;
  const { waitSerial } = r.payload as { waitSerial: number };
  return { type: 'timeout', inboxId: r.inboxId, customerId: r.customerId, runId: r.runId!, nodeId: r.nodeId!, waitSerial };
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
