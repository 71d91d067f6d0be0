import { Worker } from 'bullmq';
import { applyContactEvent } from '../engine/applyContactEvent';
import type { ContactEvent } from '../engine/contactEvents';
import type { StepEnv } from '../engine/stepEnv';
import { queueNames, type RuntimeQueues } from '../queues/runtimeQueues';

/** One worker per shard queue; the queue's global concurrency of 1 keeps each contact's events in order. */
export function contactEventWorkers(env: StepEnv, queues: RuntimeQueues): Worker<ContactEvent>[] {
  return queues.contactShards.map(
    (_, shard) =>
      new Worker<ContactEvent>(
        queueNames.contactShard(shard),
        async (job) => {
          const outcome = applyContactEvent(env, job.data);
          await env.flushOutbox();
          return outcome;
        },
        { ...queues.workerOptions(), concurrency: 1 },
      ),
  );
}
