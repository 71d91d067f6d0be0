import { DelayedError, Worker, type Job, type Queue } from 'bullmq';
import type { ChannelRegistry } from '../channels/channelRegistry';
import { outboundBackoff, TransientDeliveryError } from '../delivery/deliveryError';
import type { StepEnv } from '../engine/stepEnv';
import { outboundJobId, outboundJobOptions, type OutboundBatch, type OutboundItem, type OutboundJob } from '../queues/flushOutbox';
import type { RuntimeLog } from '../queues/redisHealth';
import type { RuntimeQueues } from '../queues/runtimeQueues';
import type { WebchatSender } from '../webchat/webchatSender';
import { inboxSlots } from './inboxSlots';
import { outboundDelivery, type Destination, type Senders, type Sent } from './outboundDelivery';
import { outboundOrder, type OrderedMessage } from './outboundOrder';

export type { Senders } from './outboundDelivery';

/**
 * How long a later message of the same contact waits before looking again whether its turn came:
 * 30 ms at first, doubling up to about a second while an earlier message is held up (e.g. retrying).
 */
const turnPollMs = (job: Job) => Math.min(1000, 30 * 2 ** Math.min(5, Math.max(0, (job.attemptsStarted ?? 1) - 1)));

/** How many of a batch's platform calls go out together (web chat rows: the whole batch). */
const platformCallsPerRound = 10;

/** How long a message waits while its inbox holds all its slots of this worker. */
const inboxBusyMs = 100;

/** A message's own job, after the first attempt (in its batch) failed: the attempts left, and when. */
const retryJob = (to: Destination, item: OutboundItem, delay: number, attempts = outboundJobOptions.attempts - 1) => ({
  name: 'send',
  data: { ...to, ...item } satisfies OutboundJob,
  opts: { ...outboundJobOptions, attempts, delay, jobId: outboundJobId(item.outboxId) },
});

/**
 * Sends queued messages through their inbox's channel adapter: one contact's messages in order,
 * one at a time; a per-inbox rate limit shared by every worker process; retries with backoff for
 * transient refusals (Retry-After honoured); none for permanent ones, which wake the waiting run
 * by its `error` port, as does an inbox with no working channel.
 *
 * A hand-over queues one job per inbox and up to 100 messages (`batch`): one claim, one send (web
 * chat: one transaction) and one record for all of them. A message that cannot go with its batch
 * (a transient refusal to retry with backoff, or one whose turn has not come) continues in a job
 * of its own (`send`), which does for one message what the batch does for many.
 */
export function outboundWorker(
  env: StepEnv,
  queues: RuntimeQueues,
  registry: ChannelRegistry,
  {
    senders = {},
    webchat,
    log,
    concurrency = 50,
    queue = queues.outbound,
  }: { senders?: Senders; webchat?: WebchatSender; log?: RuntimeLog; concurrency?: number; /** the delivery queue it drains (see deliveryQueueOf) */ queue?: Queue } = {},
): Worker<OutboundJob | OutboundBatch> {
  const order = outboundOrder(queues.connection, queues.prefix);
  const delivery = outboundDelivery(env, queues, order, { senders, ...(webchat ? { webchat } : {}), ...(log ? { log } : {}) });
  // A slow platform holds its inbox's share of this worker only: other inboxes are not slowed.
  const slots = inboxSlots(Math.max(1, Math.floor(concurrency / 2)));
  const delay = async (job: Job, token: string | undefined, ms: number): Promise<never> => {
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  };
  const ordered = (to: Destination, items: OutboundItem[]): OrderedMessage[] => items.map((m) => ({ outboxId: m.outboxId, inboxId: to.inboxId, customerId: m.customerId }));

  const single = async (job: Job<OutboundJob>, token: string | undefined) => {
    const { orgId, inboxId, ...item } = job.data;
    const to = { orgId, inboxId };
    const channel = await registry.get(inboxId);
    if (!channel || !delivery.canSend(channel)) {
      // Deleted inbox, missing adapter, unreadable credentials: waiting would be forever.
      log?.warn({ inboxId, problem: channel?.problem ?? 'inbox deleted' }, 'no working channel for a message');
      await delivery.giveUp(to, [item], 'channel_unavailable');
      return 'no_channel';
    }
    const release = slots.take(inboxId);
    if (!release) return delay(job, token, inboxBusyMs);
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    let retry: Sent | undefined;
    try {
      const claim = await order.claim(`h${item.outboxId}`, inboxId, ordered(to, [item]), channel.inbox.rateLimitPerSecond);
      const [code] = claim.codes;
      if (code === 'wait') return await delay(job, token, turnPollMs(job));
      // Over the inbox's rate: wait for the next window without using up an attempt.
      if (code === 'limited') return await delay(job, token, claim.retryMs);
      if (code !== 'ready') return 'already_done';
      [retry] = await delivery.sendAndRecord(channel, to, [item], { lastAttempt, handOff: false });
    } finally {
      release();
    }
    if (retry && !retry.outcome.ok) throw new TransientDeliveryError(retry.outcome.reason, retry.outcome.retryAfterMs);
    return 'done';
  };

  const batch = async (job: Job<OutboundBatch>, token: string | undefined) => {
    const { orgId, inboxId, messages } = job.data;
    const to = { orgId, inboxId };
    const owner = job.id!;
    const channel = await registry.get(inboxId);
    const addOwnJobs = async (jobs: Array<ReturnType<typeof retryJob>>) => {
      if (jobs.length) await queue.addBulk(jobs);
    };
    if (!channel || !delivery.canSend(channel)) {
      log?.warn({ inboxId, problem: channel?.problem ?? 'inbox deleted' }, 'no working channel for a message');
      const { codes } = await order.claim(owner, inboxId, ordered(to, messages), -1);
      await delivery.giveUp(
        to,
        messages.filter((_, i) => codes[i] === 'ready' || codes[i] === 'wait'),
        'channel_unavailable',
      );
      // Handed to their own jobs before (this job ran before and died): those give up on their own.
      await addOwnJobs(messages.filter((_, i) => codes[i] === 'handed').map((m) => retryJob(to, m, 0)));
      return 'no_channel';
    }
    const release = slots.take(inboxId);
    if (!release) return delay(job, token, inboxBusyMs);
    try {
      // A platform's calls go out a few at a time, each few taking its rate points just before:
      // points taken long before the calls they stand for would let a window's calls spill into the next.
      const perRound = delivery.sendsTogether(channel) ? messages.length : platformCallsPerRound;
      let left = messages;
      for (;;) {
        const chunk = left.slice(0, perRound);
        const { codes, retryMs } = await order.claim(owner, inboxId, ordered(to, chunk), channel.inbox.rateLimitPerSecond);
        const coded = (code: string) => chunk.filter((_, i) => codes[i] === code);
        // This job ran before and died after handing these over, perhaps before adding their jobs.
        await addOwnJobs(coded('handed').map((m) => retryJob(to, m, 1000)));
        const ready = coded('ready');
        if (ready.length) {
          const retry = await delivery.sendAndRecord(channel, to, ready, { lastAttempt: false, handOff: true });
          await addOwnJobs(
            retry.map(({ item, outcome }) => retryJob(to, item, outboundBackoff(1, undefined, new TransientDeliveryError(outcome.ok ? '' : outcome.reason, outcome.ok ? undefined : outcome.retryAfterMs)))),
          );
        }
        // Over the inbox's rate: the batch waits for the next window without using up an attempt.
        if (coded('limited').length) return await delay(job, token, retryMs);
        let keep = coded('wait');
        // Sending may have brought the turn of a contact's next message in the batch; if nothing
        // went, each waits in a job of its own for an earlier message held up elsewhere.
        if (!ready.length && keep.length) {
          await delivery.handOver(to, keep);
          await addOwnJobs(keep.map((m) => retryJob(to, m, 30, outboundJobOptions.attempts)));
          keep = [];
        }
        left = [...keep, ...left.slice(perRound)];
        if (left.length === 0) return 'done';
      }
    } finally {
      release();
    }
  };

  return new Worker<OutboundJob | OutboundBatch>(
    queue.name,
    async (job: Job<OutboundJob | OutboundBatch>, token?: string) =>
      job.name === 'batch' ? batch(job as Job<OutboundBatch>, token) : single(job as Job<OutboundJob>, token),
    { ...queues.workerOptions(), concurrency, settings: { backoffStrategy: outboundBackoff } },
  );
}
