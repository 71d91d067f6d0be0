import { and, asc, inArray, isNull } from 'drizzle-orm';
import { outbox, type Database } from '@couponflow/db';
import type { OutboundMessage } from '@couponflow/nodes/executors';
import { outboundOrder } from '../workers/outboundOrder';
import { enqueueContactEvent } from './enqueueContactEvent';
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

/**
 * Hands committed outbox rows to BullMQ (job id = outbox id, so doing it twice after a crash is
 * harmless) and marks them queued. Called after every step and by a periodic sweep.
 */
export async function flushOutbox(db: Database, queues: RuntimeQueues, now = new Date(), batch = 2000): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = db.select().from(outbox).where(isNull(outbox.queuedAt)).orderBy(asc(outbox.id)).limit(batch).all();
    if (rows.length === 0) return total;
    const messages = rows.filter((r) => r.kind === 'message');
    if (messages.length) {
      // Each contact's order is registered before its jobs exist, so no job can overtake an earlier one.
      const order = outboundOrder(queues.connection, queues.prefix);
      const pipeline = queues.connection.pipeline();
      for (const r of messages) order.enqueue(pipeline, r.inboxId, r.customerId, r.id);
      await pipeline.exec();
      await queues.outbound.addBulk(
        messages.map((r) => ({
          name: 'send',
          data: { outboxId: r.id, orgId: r.orgId, inboxId: r.inboxId, customerId: r.customerId, runId: r.runId, nodeId: r.nodeId, message: r.payload as OutboundMessage } satisfies OutboundJob,
          opts: { ...outboundJobOptions, jobId: `o.${r.id}` },
        })),
      );
    }
    for (const r of rows.filter((row) => row.kind === 'timeout')) {
      const { waitSerial } = r.payload as { waitSerial: number };
      await enqueueContactEvent(
        queues,
        { type: 'timeout', inboxId: r.inboxId, customerId: r.customerId, runId: r.runId!, nodeId: r.nodeId!, waitSerial },
        { delayMs: Math.max(0, (r.dueAt?.getTime() ?? 0) - now.getTime()), jobId: `t.${r.id}` },
      );
    }
    db.update(outbox).set({ queuedAt: now }).where(and(inArray(outbox.id, rows.map((r) => r.id)), isNull(outbox.queuedAt))).run();
    total += rows.length;
    if (rows.length < batch) return total;
  }
}
