import { handOverOutbox, type Database, type OutboxRow } from '@couponflow/db';
import type { OutboundMessage } from '@couponflow/nodes/executors';
import { broadcastChunkJob, type BroadcastChunk } from '../broadcasts/broadcastChunk';
import type { ContactEvent } from '../engine/contactEvents';
import { contactEventJob } from './enqueueContactEvent';
import { outboundOrder } from '../workers/outboundOrder';
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

export const outboundJobOptions = {
  ...keepJobs,
  attempts: 8,
  backoff: { type: 'custom' },
} as const;

type Row = OutboxRow;

/**
 * Hands committed outbox rows to BullMQ and marks them queued. Every job id derives from the row
 * (or from the event's own identity), so handing a row over twice after a crash is harmless.
 * Throws when Redis refuses; the rows stay unqueued for the next try.
 */
export async function flushOutbox(db: Database, queues: RuntimeQueues, now = new Date(), batch = 2000): Promise<number> {
  let total = 0;
  for (;;) {
    const handed = await handOverOutbox(db, batch, now, (rows) => handOver(queues, rows, now));
    total += handed;
    if (handed < batch) return total;
  }
}

/** Adds the rows' jobs to BullMQ; throws when Redis refuses. */
async function handOver(queues: RuntimeQueues, rows: Row[], now: Date): Promise<void> {
  const messages = rows.filter((r) => r.kind === 'message');
  if (messages.length) {
    // Each contact's order is registered before its jobs exist, so no job can overtake an earlier one.
    const order = outboundOrder(queues.connection, queues.prefix);
    const pipeline = queues.connection.pipeline();
    for (const r of messages) order.enqueue(pipeline, r.inboxId, r.customerId, r.id, queues.outbound.toKey(outboundJobId(r.id)));
    await pipeline.exec();
    await queues.outbound.addBulk(messages.map(outboundJob));
  }
  const events = rows.filter((r) => r.kind === 'event' || r.kind === 'timeout');
  await Promise.all(
    [...groupBy(events, (r) => contactEventJob(queues, eventOf(r)).queue)].map(([queue, group]) =>
      queue.addBulk(
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
  if (chunks.length) await queues.broadcasts.addBulk(chunks.map((r) => broadcastChunkJob(r.payload as BroadcastChunk, r.id)));
}

const outboundJobId = (outboxId: number) => `o.${outboxId}`;

function outboundJob(r: Row) {
  return {
    name: 'send',
    data: { outboxId: r.id, orgId: r.orgId, inboxId: r.inboxId, customerId: r.customerId, runId: r.runId, nodeId: r.nodeId, message: r.payload as OutboundMessage } satisfies OutboundJob,
    opts: { ...outboundJobOptions, jobId: outboundJobId(r.id) },
  };
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
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}
