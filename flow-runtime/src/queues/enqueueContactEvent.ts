import type { ContactEvent } from '../engine/contactEvents';
import { jobIdPart, keepJobs, shardOf, type RuntimeQueues } from './runtimeQueues';

/** Job ids make re-enqueueing the same event harmless (a redelivered webhook, a re-flushed outbox). */
export function contactEventJobId(event: ContactEvent): string | undefined {
  switch (event.type) {
    case 'message':
      return `m.${jobIdPart(event.inboxId)}.${jobIdPart(event.eventId)}`;
    case 'redemption':
      return `r.${event.runId}.${jobIdPart(event.nodeId)}.${event.outcome}`;
    case 'delivery_failed':
      return `f.${event.runId}.${jobIdPart(event.nodeId)}`;
    default:
      return undefined;
  }
}

export async function enqueueContactEvent(queues: RuntimeQueues, event: ContactEvent, { delayMs = 0, jobId = contactEventJobId(event) } = {}) {
  const queue = queues.contactShards[shardOf(event.inboxId, event.customerId, queues.contactShards.length)]!;
  await queue.add(event.type, event, {
    ...keepJobs,
    ...(jobId ? { jobId } : {}),
    ...(delayMs > 0 ? { delay: delayMs } : {}),
    attempts: 10,
    backoff: { type: 'exponential', delay: 500 },
  });
}
