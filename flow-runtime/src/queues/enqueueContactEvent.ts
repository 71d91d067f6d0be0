import type { JobsOptions, Queue } from 'bullmq';
import type { ContactEvent } from '../engine/contactEvents';
import { jobIdPart, keepJobs, shardOf, type RuntimeQueues } from './runtimeQueues';

/** Job ids make re-enqueueing the same event harmless (a redelivered webhook, a re-flushed outbox). */
export function contactEventJobId(event: ContactEvent): string | undefined {
  switch (event.type) {
    case 'message':
      return `m.${jobIdPart(event.inboxId)}.${jobIdPart(event.eventId)}`;
    case 'redemption':
      return `r.${event.runId}.${jobIdPart(event.nodeId)}.${event.outcome}`;
    case 'check':
      // One job per wait, check and due time: a rescheduled check (later due time) is a new job.
      return `c.${event.runId}.${jobIdPart(event.nodeId)}.${event.waitSerial}.${event.check}.${event.dueAt}`;
    case 'delivery_failed':
      return `f.${event.runId}.${jobIdPart(event.nodeId)}`;
    default:
      return undefined;
  }
}

/** The contact's shard queue and the job that carries `event` there. */
export function contactEventJob(
  queues: RuntimeQueues,
  event: ContactEvent,
  { delayMs = 0, fallbackJobId }: { delayMs?: number; fallbackJobId?: string } = {},
): { queue: Queue<ContactEvent>; name: string; data: ContactEvent; opts: JobsOptions } {
  const jobId = contactEventJobId(event) ?? fallbackJobId;
  return {
    queue: queues.contactShards[shardOf(event.inboxId, event.customerId, queues.contactShards.length)]!,
    name: event.type,
    data: event,
    opts: {
      ...keepJobs,
      ...(jobId ? { jobId } : {}),
      ...(delayMs > 0 ? { delay: delayMs } : {}),
      attempts: 10,
      backoff: { type: 'exponential', delay: 500 },
    },
  };
}

export async function enqueueContactEvent(queues: RuntimeQueues, event: ContactEvent, options: { delayMs?: number; fallbackJobId?: string } = {}) {
  const { queue, name, data, opts } = contactEventJob(queues, event, options);
  await queue.add(name, data, opts);
}
