import { Worker } from 'bullmq';
import { flowRuns, newId, writeTransaction, type Channel } from '@couponflow/db';

const contactsPerCommit = 100;
import type { BroadcastChunk } from '../broadcasts/broadcastChunk';
import { applyContactEvent } from '../engine/applyContactEvent';
import { inboxInfo, type StepEnv } from '../engine/stepEnv';
import { queueNames, type RuntimeQueues } from '../queues/runtimeQueues';

/**
 * Starts the broadcast's flow for each contact of a chunk, each in its own transaction. A retried
 * chunk skips contacts that already have their run, so nobody gets the flow (or a coupon) twice.
 */
export function broadcastWorker(env: StepEnv, queues: RuntimeQueues, { concurrency = 2 } = {}): Worker<BroadcastChunk> {
  return new Worker<BroadcastChunk>(
    queueNames.broadcasts,
    async (job) => {
      const { broadcastId, flowId, version, inboxId, customerIds } = job.data;
      let failed = 0;
      for (let at = 0; at < customerIds.length; at += contactsPerCommit) {
        // One commit for a group of contacts (each still in its own savepoint): commits, not
        // statements, are what a broadcast spends its time on.
        writeTransaction(env.db, () => {
          for (const customerId of customerIds.slice(at, at + contactsPerCommit)) {
            try {
              applyContactEvent(env, { type: 'broadcast', broadcastId, flowId, version, inboxId, customerId });
            } catch (error) {
              failed++;
              recordFailedStart(env, job.data, customerId, error as Error);
            }
          }
        });
        await env.flushOutbox();
      }
      return { contacts: customerIds.length, failed };
    },
    { ...queues.workerOptions(), concurrency },
  );
}

/** A contact whose start failed unexpectedly gets a failed run, so progress counts it and a retry skips it. */
function recordFailedStart(env: StepEnv, chunk: BroadcastChunk, customerId: string, error: Error): void {
  const inbox = inboxInfo(env.db, chunk.inboxId);
  const now = env.now();
  env.db
    .insert(flowRuns)
    .values({
      id: newId('run'),
      orgId: inbox?.orgId ?? '',
      flowId: chunk.flowId,
      version: chunk.version,
      inboxId: chunk.inboxId,
      channel: (inbox?.channel ?? 'webchat') as Channel,
      customerId,
      status: 'failed',
      vars: {},
      broadcastId: chunk.broadcastId,
      endReason: `start_failed: ${error.message}`.slice(0, 500),
      startedAt: now,
      updatedAt: now,
      endedAt: now,
    })
    .onConflictDoNothing()
    .run();
}
