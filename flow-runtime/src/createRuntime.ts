import type { Worker } from 'bullmq';
import type { CouponEngine, RecordView } from '@couponflow/coupons';
import type { BotframeworkOptions, InboundEvent } from '@couponflow/channels';
import type { CredentialCipher, Database } from '@couponflow/db';
import { channelRegistry } from './channels/channelRegistry';
import type { ContactEvent } from './engine/contactEvents';
import { startBroadcast } from './broadcasts/startBroadcast';
import type { StepEnv } from './engine/stepEnv';
import { enqueueContactEvent } from './queues/enqueueContactEvent';
import { flushOutbox } from './queues/flushOutbox';
import { createQueues, redisConnection } from './queues/runtimeQueues';
import { webchatSender } from './webchat/webchatSender';
import { webchatSubscriptions } from './webchat/webchatSubscriptions';
import { broadcastWorker } from './workers/broadcastWorker';
import { contactEventWorkers } from './workers/contactEventWorker';
import { outboundWorker, type RuntimeLog, type Senders } from './workers/outboundWorker';
import { sentOffers } from './workers/sentOffers';

export interface RuntimeOptions {
  db: Database;
  coupons: CouponEngine;
  redisUrl: string;
  publicUrl: string;
  /** BullMQ key prefix; tests give each run its own */
  prefix?: string;
  shards?: number;
  /** opens the inboxes' sealed credentials when a channel adapter is built */
  cipher: CredentialCipher;
  /** test doubles standing in for a channel's adapter */
  senders?: Senders;
  /** Bot Framework: OpenID metadata (inbound JWT keys) and token endpoint addresses */
  botframework?: BotframeworkOptions;
  log?: RuntimeLog;
  now?: () => Date;
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;

/** The BullMQ runtime of SPEC §3.4: what servers enqueue into, and the workers that drain it. */
export async function createRuntime({ db, coupons, redisUrl, publicUrl, cipher, prefix = 'couponflow', shards = 8, senders = {}, botframework, log, now = () => new Date() }: RuntimeOptions) {
  const queues = await createQueues(redisUrl, { prefix, shards });
  const env: StepEnv = { db, coupons, publicUrl, now };
  const subscriber = redisConnection(redisUrl);
  const subscriptions = webchatSubscriptions(subscriber);
  const webchat = webchatSender(db, queues.connection);
  // Every channel, web chat included, goes through its adapter.
  const registry = channelRegistry(db, cipher, {
    ...(botframework ? { botframework } : {}),
    webchat: async ({ inboxId, customerId, message, idempotencyKey }) => void (await webchat.send({ orgId: '', inboxId, customerId, message, idempotencyKey })),
  });
  const offers = sentOffers(queues.connection, prefix);
  let running: { workers: Worker[]; sweep: NodeJS.Timeout } | null = null;

  return {
    queues,
    env,
    /** The inbox's channel adapter (webhook verification and parsing), or why it has none. */
    channelFor: (inboxId: string) => registry.get(inboxId),
    /** An inbound message, accepted once its job is in Redis (job id = platform event id). */
    acceptMessage: (message: Omit<Extract<ContactEvent, { type: 'message' }>, 'type'>) => enqueueContactEvent(queues, { type: 'message', ...message }),
    /** A platform's later report that an offer was refused for good: the run waiting at it leaves by `error`. */
    acceptDeliveryFailure: async (inboxId: string, event: Extract<InboundEvent, { kind: 'delivery_failed' }>) => {
      if (!event.permanent) return false;
      const offer = await offers.find(inboxId, event.messageId);
      if (!offer) return false;
      await enqueueContactEvent(queues, { type: 'delivery_failed', inboxId, customerId: offer.customerId, runId: offer.runId, nodeId: offer.nodeId, reason: 'delivery_failed' });
      return true;
    },
    /** The redeem page's outcome wakes the run waiting at that Distribute Coupon node. */
    redemptionAttempted: async (record: RecordView, outcome: string, code?: string) => {
      if (!record.flowRunId || !record.nodeId) return;
      await enqueueContactEvent(queues, {
        type: 'redemption',
        inboxId: record.inboxId,
        customerId: record.customerId,
        runId: record.flowRunId,
        nodeId: record.nodeId,
        outcome,
        ...(code ? { code } : {}),
      });
    },
    startBroadcast: (input: Parameters<typeof startBroadcast>[2]) => startBroadcast(db, queues, input),
    subscribeWebchat: subscriptions.subscribe,
    /** ROLE=worker|all: drain every queue, and sweep the outbox for work a crash left behind. */
    startWorkers: () => {
      if (running) return;
      const workers: Worker[] = [
        ...contactEventWorkers(env, queues, registry),
        outboundWorker(env, queues, registry, { senders, ...(log ? { log } : {}) }),
        broadcastWorker(env, queues),
      ];
      const sweep = setInterval(() => void flushOutbox(db, queues).catch(() => {}), 1000);
      running = { workers, sweep };
    },
    stopWorkers: async () => {
      if (!running) return;
      clearInterval(running.sweep);
      await Promise.all(running.workers.map((w) => w.close()));
      running = null;
    },
    close: async function close(this: void) {
      if (running) {
        clearInterval(running.sweep);
        await Promise.all(running.workers.map((w) => w.close()));
      }
      subscriber.disconnect();
      await queues.close();
    },
  };
}
