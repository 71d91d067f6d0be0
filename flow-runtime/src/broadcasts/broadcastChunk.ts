import { keepJobs } from '../queues/runtimeQueues';

export const broadcastChunkSize = 500;

export interface BroadcastChunk {
  broadcastId: string;
  flowId: string;
  version: number;
  inboxId: string;
  customerIds: string[];
}

/** A chunk's job: id from its outbox row, so a chunk handed to BullMQ twice runs once. */
export function broadcastChunkJob(chunk: BroadcastChunk, outboxId: number) {
  return { name: 'chunk', data: chunk, opts: { ...keepJobs, jobId: `b.${outboxId}`, attempts: 10, backoff: { type: 'exponential', delay: 1000 } } };
}
