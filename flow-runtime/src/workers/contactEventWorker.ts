import { Worker } from 'bullmq';
import type { ChannelRegistry } from '../channels/channelRegistry';
import { contactState } from '../channels/contactChannelState';
import { applyContactEvent } from '../engine/applyContactEvent';
import { needsContactName } from '../engine/needsContactName';
import type { ContactEvent } from '../engine/contactEvents';
import type { StepEnv } from '../engine/stepEnv';
import { queueNames, type RuntimeQueues } from '../queues/runtimeQueues';

/** One worker per shard queue; the queue's global concurrency of 1 keeps each contact's events in order. */
export function contactEventWorkers(env: StepEnv, queues: RuntimeQueues, registry: ChannelRegistry): Worker<ContactEvent>[] {
  return queues.contactShards.map(
    (_, shard) =>
      new Worker<ContactEvent>(
        queueNames.contactShard(shard),
        async (job) => {
          const event = job.data.type === 'message' ? await withProfileName(env, registry, job.data) : job.data;
          const outcome = await applyContactEvent(env, event);
          // Not awaited: the step's rows are committed (the outbox hands them over, a sweep if this
          // pass fails), and a shard that waited for the pass took its next event only after it —
          // 8 shards each waiting a pass per event held the whole webhook stream to the flush's pace.
          void env.flushOutbox();
          return outcome;
        },
        { ...queues.workerOptions(), concurrency: 1 },
      ),
  );
}

type MessageEvent = Extract<ContactEvent, { type: 'message' }>;

/**
 * The contact's display name, asked once of the platform's profile API (LINE, Messenger) when the
 * webhook did not carry it and a flow may show it; a failed look-up just leaves the name unknown.
 */
async function withProfileName(env: StepEnv, registry: ChannelRegistry, event: MessageEvent): Promise<MessageEvent> {
  if (event.name) return event;
  const channel = await registry.get(event.inboxId);
  if (!channel?.adapter?.fetchProfile) return event;
  const { orgId } = channel.inbox;
  // Only when a flow may show it: a platform round trip here holds up every contact of the shard.
  if (!(await needsContactName(env.db, orgId, event.inboxId, event.customerId))) return event;
  if ((await contactState(env.db, orgId, event.inboxId, event.customerId))?.name) return event;
  try {
    const { name } = await Promise.race([
      channel.adapter.fetchProfile(event.customerId),
      new Promise<{ name?: string }>((resolve) => setTimeout(() => resolve({}), 3000).unref()),
    ]);
    return name ? { ...event, name } : event;
  } catch {
    return event;
  }
}
