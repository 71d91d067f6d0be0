import { DelayedError, Worker, type Job } from 'bullmq';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Channel } from '@couponflow/db';
import type { ChannelSender } from '../delivery/channelSender';
import { outboundBackoff, TransientDeliveryError } from '../delivery/deliveryError';
import { inboxInfo, type StepEnv } from '../engine/stepEnv';
import { enqueueContactEvent } from '../queues/enqueueContactEvent';
import type { OutboundJob } from '../queues/flushOutbox';
import { queueNames, type RuntimeQueues } from '../queues/runtimeQueues';

export type Senders = Partial<Record<Channel, ChannelSender>>;

/**
 * Sends queued messages through their inbox's channel: a per-inbox rate limit shared by every
 * worker process, retries with backoff for transient refusals (Retry-After honoured), none for
 * permanent ones — those wake the waiting run by its `error` port instead.
 */
export function outboundWorker(env: StepEnv, queues: RuntimeQueues, senders: Senders, { concurrency = 50 } = {}): Worker<OutboundJob> {
  const limiters = new Map<number, RateLimiterRedis>();
  const limiterFor = (perSecond: number) => {
    let limiter = limiters.get(perSecond);
    if (!limiter) {
      limiter = new RateLimiterRedis({ storeClient: queues.connection, keyPrefix: `${queues.prefix}:outbound-rate:${perSecond}`, points: perSecond, duration: 1 });
      limiters.set(perSecond, limiter);
    }
    return limiter;
  };

  return new Worker<OutboundJob>(
    queueNames.outbound,
    async (job: Job<OutboundJob>, token?: string) => {
      const { data } = job;
      const inbox = inboxInfo(env.db, data.inboxId);
      const sender = inbox && senders[inbox.channel as Channel];
      if (!inbox || !sender) return 'no_channel';
      try {
        await limiterFor(inbox.rateLimitPerSecond).consume(inbox.id);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        // Over the inbox's rate: wait for the next window without using up an attempt.
        await job.moveToDelayed(Date.now() + rejection.msBeforeNext, token);
        throw new DelayedError();
      }
      const outcome = await sender.send({ orgId: data.orgId, inboxId: data.inboxId, customerId: data.customerId, message: data.message, idempotencyKey: `o.${data.outboxId}` });
      if (outcome.ok) return 'sent';
      if (!outcome.permanent) throw new TransientDeliveryError(outcome.reason, outcome.retryAfterMs);
      if (data.runId && data.nodeId)
        await enqueueContactEvent(queues, { type: 'delivery_failed', inboxId: data.inboxId, customerId: data.customerId, runId: data.runId, nodeId: data.nodeId, reason: outcome.reason });
      return `refused:${outcome.reason}`;
    },
    { ...queues.workerOptions(), concurrency, settings: { backoffStrategy: outboundBackoff } },
  );
}
