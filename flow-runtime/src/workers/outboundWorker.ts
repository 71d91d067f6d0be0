import { DelayedError, Worker, type Job } from 'bullmq';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { SendResult } from '@couponflow/channels';
import type { Channel } from '@couponflow/db';
import type { ChannelRegistry } from '../channels/channelRegistry';
import { contactState } from '../channels/contactChannelState';
import type { ChannelSender } from '../delivery/channelSender';
import { outboundBackoff, TransientDeliveryError } from '../delivery/deliveryError';
import type { StepEnv } from '../engine/stepEnv';
import { enqueueContactEvent } from '../queues/enqueueContactEvent';
import type { OutboundJob } from '../queues/flushOutbox';
import type { RuntimeLog } from '../queues/redisHealth';
import { queueNames, type RuntimeQueues } from '../queues/runtimeQueues';
import { inboxSlots } from './inboxSlots';
import { outboundOrder } from './outboundOrder';
import { sentOffers } from './sentOffers';

/** Test doubles standing in for a channel (they take precedence over the inbox's adapter). */
export type Senders = Partial<Record<Channel, ChannelSender>>;


/**
 * How long a later message of the same contact waits before looking again whether its turn came:
 * 30 ms at first, doubling up to about a second while an earlier message is held up (e.g. retrying).
 */
const turnPollMs = (job: Job) => Math.min(1000, 30 * 2 ** Math.min(5, Math.max(0, (job.attemptsStarted ?? 1) - 1)));

/** How long a message waits while its inbox holds all its slots of this worker. */
const inboxBusyMs = 100;

/** Reasons the flow sees as `{{coupon.reason}}`; the platform's own wording stays in the log. */
const visibleReasons = new Set(['outside_messaging_window', 'channel_unavailable']);

/**
 * Sends queued messages through their inbox's channel adapter: one contact's messages in order,
 * one at a time; a per-inbox rate limit shared by every worker process; retries with backoff for
 * transient refusals (Retry-After honoured); none for permanent ones, which wake the waiting run
 * by its `error` port, as does an inbox with no working channel.
 */
export function outboundWorker(
  env: StepEnv,
  queues: RuntimeQueues,
  registry: ChannelRegistry,
  { senders = {}, log, concurrency = 50 }: { senders?: Senders; log?: RuntimeLog; concurrency?: number } = {},
): Worker<OutboundJob> {
  const limiters = new Map<number, RateLimiterRedis>();
  const limiterFor = (perSecond: number) => {
    let limiter = limiters.get(perSecond);
    if (!limiter) {
      limiter = new RateLimiterRedis({ storeClient: queues.connection, keyPrefix: `${queues.prefix}:outbound-rate:${perSecond}`, points: perSecond, duration: 1 });
      limiters.set(perSecond, limiter);
    }
    return limiter;
  };
  const order = outboundOrder(queues.connection, queues.prefix);
  const offers = sentOffers(queues.connection, queues.prefix);

  const failRun = async (data: OutboundJob, reason: string) => {
    if (data.runId && data.nodeId)
      await enqueueContactEvent(queues, { type: 'delivery_failed', inboxId: data.inboxId, customerId: data.customerId, runId: data.runId, nodeId: data.nodeId, reason });
  };
  const sendThrough = async (channel: NonNullable<Awaited<ReturnType<ChannelRegistry['get']>>>, sender: ChannelSender | undefined, data: OutboundJob): Promise<SendResult> => {
    const delivery = { orgId: data.orgId, inboxId: data.inboxId, customerId: data.customerId, message: data.message, idempotencyKey: `o.${data.outboxId}` };
    if (sender) return { truncations: [], ...(await sender.send(delivery)) };
    const contact = await contactState(env.db, channel.inbox.orgId, data.inboxId, data.customerId);
    const replyToken = contact?.channelData?.replyToken;
    // A reply token is single use: the first message after the contact wrote claims it.
    const claimed = replyToken && (await queues.connection.set(`${queues.prefix}:reply-token:${replyToken}`, '1', 'PX', 120_000, 'NX')) === 'OK';
    return channel.adapter!.send({
      customerId: data.customerId,
      message: data.message,
      idempotencyKey: delivery.idempotencyKey,
      lastInboundAt: contact?.lastInboundAt?.getTime() ?? null,
      channelData: contact?.channelData ?? undefined,
      ...(claimed ? { replyToken } : {}),
      now: env.now().getTime(),
    });
  };
  const slots = inboxSlots(Math.max(1, Math.floor(concurrency / 2)));
  const delay = async (job: Job, token: string | undefined, ms: number): Promise<never> => {
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  };

  return new Worker<OutboundJob>(
    queueNames.outbound,
    async (job: Job<OutboundJob>, token?: string) => {
      const { data } = job;
      if (!(await order.isTurnOf(data.inboxId, data.customerId, data.outboxId))) return delay(job, token, turnPollMs(job));
      const channel = await registry.get(data.inboxId);
      const sender = channel && senders[channel.inbox.channel as Channel];
      if (!channel || (!channel.adapter && !sender)) {
        // Deleted inbox, missing adapter, unreadable credentials: waiting would be forever.
        log?.warn({ inboxId: data.inboxId, problem: channel?.problem ?? 'inbox deleted' }, 'no working channel for a message');
        await order.done(data.inboxId, data.customerId, data.outboxId);
        await failRun(data, 'channel_unavailable');
        return 'no_channel';
      }
      // A slow platform holds its inbox's share of this worker only: other inboxes are not slowed.
      const release = slots.take(data.inboxId);
      if (!release) return delay(job, token, inboxBusyMs);
      let outcome: SendResult;
      try {
        try {
          await limiterFor(channel.inbox.rateLimitPerSecond).consume(channel.inbox.id);
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          // Over the inbox's rate: wait for the next window without using up an attempt.
          return delay(job, token, rejection.msBeforeNext);
        }
        outcome = await sendThrough(channel, sender, data);
      } finally {
        release();
      }
      if (outcome.truncations.length) log?.warn({ inboxId: data.inboxId, outboxId: data.outboxId, truncations: outcome.truncations }, 'message cut to the platform’s limits');
      if (outcome.ok) {
        if (outcome.messageId && data.runId && data.nodeId && data.message.type === 'offer')
          await offers.remember(data.inboxId, outcome.messageId, { runId: data.runId, nodeId: data.nodeId, customerId: data.customerId });
        await order.done(data.inboxId, data.customerId, data.outboxId);
        return 'sent';
      }
      if (!outcome.permanent) {
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (lastAttempt) {
          await order.done(data.inboxId, data.customerId, data.outboxId);
          await failRun(data, 'delivery_failed');
        }
        throw new TransientDeliveryError(outcome.reason, outcome.retryAfterMs);
      }
      log?.warn({ inboxId: data.inboxId, outboxId: data.outboxId, reason: outcome.reason }, 'the channel refused a message for good');
      await order.done(data.inboxId, data.customerId, data.outboxId);
      await failRun(data, visibleReasons.has(outcome.reason) ? outcome.reason : 'delivery_failed');
      return `refused:${outcome.reason}`;
    },
    { ...queues.workerOptions(), concurrency, settings: { backoffStrategy: outboundBackoff } },
  );
}
