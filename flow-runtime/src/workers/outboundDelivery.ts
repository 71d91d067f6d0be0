import type { SendResult } from '@couponflow/channels';
import type { Channel } from '@couponflow/db';
import type { InboxChannel } from '../channels/channelRegistry';
import { contactState } from '../channels/contactChannelState';
import type { ChannelSender } from '../delivery/channelSender';
import type { StepEnv } from '../engine/stepEnv';
import { enqueueContactEvent } from '../queues/enqueueContactEvent';
import type { OutboundItem } from '../queues/flushOutbox';
import type { RuntimeLog } from '../queues/redisHealth';
import type { RuntimeQueues } from '../queues/runtimeQueues';
import type { WebchatSender } from '../webchat/webchatSender';
import type { OutboundOrder } from './outboundOrder';
import { sentOffers, type Memo } from './sentOffers';

/** Test doubles standing in for a channel (they take precedence over the inbox's adapter). */
export type Senders = Partial<Record<Channel, ChannelSender>>;

/** Reasons the flow sees as `{{coupon.reason}}`; the platform's own wording stays in the log. */
const visibleReasons = new Set(['outside_messaging_window', 'channel_unavailable']);

export interface Sent {
  item: OutboundItem;
  outcome: SendResult;
}

interface RecordOptions {
  /** a transient refusal is given up (done, and the run leaves by `error`) */
  lastAttempt: boolean;
  /** a transient refusal is marked as handed to a job of its own */
  handOff: boolean;
}

/** Where a batch or a single message is going: the inbox's org and id. */
export interface Destination {
  orgId: string;
  inboxId: string;
}

/**
 * Sending messages through an inbox's channel and recording how each went, shared by the batch
 * jobs and the single-message jobs of the outbound worker.
 */
export function outboundDelivery(
  env: StepEnv,
  queues: RuntimeQueues,
  order: OutboundOrder,
  { senders, webchat, log }: { senders: Senders; webchat?: WebchatSender; log?: RuntimeLog },
) {
  const offers = sentOffers(queues.connection, queues.prefix);

  const failRun = async (to: Destination, item: OutboundItem, reason: string) => {
    if (item.runId && item.nodeId)
      await enqueueContactEvent(queues, { type: 'delivery_failed', inboxId: to.inboxId, customerId: item.customerId, runId: item.runId, nodeId: item.nodeId, reason });
  };

  const sendOne = async (channel: InboxChannel, to: Destination, item: OutboundItem): Promise<SendResult> => {
    const idempotencyKey = `o.${item.outboxId}`;
    const sender = senders[channel.inbox.channel as Channel];
    if (sender) return { truncations: [], ...(await sender.send({ ...to, customerId: item.customerId, message: item.message, idempotencyKey })) };
    const contact = await contactState(env.db, channel.inbox.orgId, to.inboxId, item.customerId);
    const replyToken = contact?.channelData?.replyToken;
    // A reply token is single use: the first message after the contact wrote claims it.
    const claimed = replyToken && (await queues.connection.set(`${queues.prefix}:reply-token:${replyToken}`, '1', 'PX', 120_000, 'NX')) === 'OK';
    return channel.adapter!.send({
      customerId: item.customerId,
      message: item.message,
      idempotencyKey,
      lastInboundAt: contact?.lastInboundAt?.getTime() ?? null,
      channelData: contact?.channelData ?? undefined,
      ...(claimed ? { replyToken } : {}),
      now: env.now().getTime(),
    });
  };

  return {
    /** Whether the inbox can send at all (an adapter, or a test double for its channel). */
    canSend: (channel: InboxChannel): boolean => !!channel.adapter || !!senders[channel.inbox.channel as Channel],

    /** Whether the inbox's messages of a batch are sent together (web chat rows, in one transaction). */
    sendsTogether: (channel: InboxChannel) => !!webchat && channel.inbox.channel === 'webchat' && !senders.webchat,

    /**
     * Sends the messages (different contacts', each its turn) and records how each went (see
     * `record`); answers the transient refusals left to retry. Web chat rows go in one write
     * transaction and are recorded together; a platform's calls go side by side, each recorded as
     * soon as it is answered, so a crash resends no more than the calls then in flight. A send that
     * throws counts as a transient refusal.
     */
    async sendAndRecord(channel: InboxChannel, to: Destination, items: OutboundItem[], options: RecordOptions): Promise<Sent[]> {
      if (this.sendsTogether(channel)) {
        await webchat!.sendMany(items.map((item) => ({ inboxId: to.inboxId, customerId: item.customerId, message: item.message, idempotencyKey: `o.${item.outboxId}` })));
        return this.record(
          to,
          items.map((item) => ({ item, outcome: { ok: true, truncations: [] } })),
          options,
        );
      }
      const retries = await Promise.all(
        items.map(async (item) => {
          const outcome = await sendOne(channel, to, item).catch((error: Error): SendResult => ({ ok: false, permanent: false, reason: error.message, truncations: [] }));
          return this.record(to, [{ item, outcome }], options);
        }),
      );
      return retries.flat();
    },

    /**
     * Records how each send went, in one round trip: sent and refused-for-good messages are done
     * (the contact's next may go; a refusal wakes the run by its `error` port), as are transient
     * refusals on their last attempt. Other transient refusals are answered: with `handOff`, each
     * is marked as handed to a job of its own (which the caller adds); otherwise left as they are.
     */
    async record(to: Destination, sent: Sent[], { lastAttempt, handOff }: RecordOptions): Promise<Sent[]> {
      const memos: Memo[] = [];
      const settled: Parameters<OutboundOrder['settle']>[0] = [];
      const failures: Array<[OutboundItem, string]> = [];
      const retry: Sent[] = [];
      for (const { item, outcome } of sent) {
        const at = { outboxId: item.outboxId, inboxId: to.inboxId, customerId: item.customerId };
        if (outcome.truncations.length) log?.warn({ inboxId: to.inboxId, outboxId: item.outboxId, truncations: outcome.truncations }, 'message cut to the platform’s limits');
        if (outcome.ok) {
          if (outcome.messageId && item.runId && item.nodeId && item.message.type === 'offer')
            memos.push(offers.memo(to.inboxId, outcome.messageId, { runId: item.runId, nodeId: item.nodeId, customerId: item.customerId }));
          settled.push({ ...at, to: 'done' });
        } else if (!outcome.permanent && !lastAttempt) {
          retry.push({ item, outcome });
          if (handOff) settled.push({ ...at, to: 'handed' });
        } else {
          if (outcome.permanent) log?.warn({ inboxId: to.inboxId, outboxId: item.outboxId, reason: outcome.reason }, 'the channel refused a message for good');
          settled.push({ ...at, to: 'done' });
          failures.push([item, outcome.permanent && visibleReasons.has(outcome.reason) ? outcome.reason : 'delivery_failed']);
        }
      }
      // One script: the offers' platform ids are remembered with the messages marked done.
      await order.settle(settled, memos);
      await Promise.all(failures.map(([item, reason]) => failRun(to, item, reason)));
      return retry;
    },

    /** Marks messages as handed to jobs of their own (which the caller adds next). */
    async handOver(to: Destination, items: OutboundItem[]) {
      await order.settle(items.map((item) => ({ outboxId: item.outboxId, inboxId: to.inboxId, customerId: item.customerId, to: 'handed' as const })));
    },

    /** Messages that cannot go at all (no working channel): each is done, and its run leaves by `error`. */
    async giveUp(to: Destination, items: OutboundItem[], reason: string) {
      await order.settle(items.map((item) => ({ outboxId: item.outboxId, inboxId: to.inboxId, customerId: item.customerId, to: 'done' as const })));
      await Promise.all(items.map((item) => failRun(to, item, reason)));
    },
  };
}

export type OutboundDelivery = ReturnType<typeof outboundDelivery>;
