import type { Worker } from 'bullmq';
import type { CouponEngine, RecordView } from '@couponflow/coupons';
import type { Database } from '@couponflow/db';
import { startBroadcast } from './broadcasts/startBroadcast';
import type { StepEnv } from './engine/stepEnv';
import { enqueueContactEvent } from './queues/enqueueContactEvent';
import { flushOutbox } from './queues/flushOutbox';
import { createQueues, redisConnection } from './queues/runtimeQueues';
import { webchatSender } from './webchat/webchatSender';
import { webchatSubscriptions } from './webchat/webchatSubscriptions';
import { broadcastWorker } from './workers/broadcastWorker';
import { contactEventWorkers } from './workers/contactEventWorker';
import { outboundWorker, type Senders } from './workers/outboundWorker';

export interface RuntimeOptions {
  db: Database;
  coupons: CouponEngine;
  redisUrl: string;
  publicUrl: string;
  /** BullMQ key prefix; tests give each run its own */
  prefix?: string;
  shards?: number;
  /** channel senders beyond the built-in web chat (and test doubles) */
  senders?: Senders;
  now?: () => Date;
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;

/** The BullMQ runtime of SPEC §3.4: what servers enqueue into, and the workers that drain it. */
export async function createRuntime({ db, coupons, redisUrl, publicUrl, prefix = 'couponflow', shards = 8, senders = {}, now = () => new Date() }: RuntimeOptions) {
  const queues = await createQueues(redisUrl, { prefix, shards });
  const env: StepEnv = { db, coupons, publicUrl, now };
  const subscriber = redisConnection(redisUrl);
  const subscriptions = webchatSubscriptions(subscriber);
  const allSenders: Senders = { webchat: webchatSender(db, queues.connection), ...senders };
  let running: { workers: Worker[]; sweep: NodeJS.Timeout } | null = null;

  return {
    queues,
    env,
    /** An inbound message, accepted once its job is in Redis (job id = platform event id). */
    acceptMessage: (message: { inboxId: string; customerId: string; eventId: string; text: string }) =>
      enqueueContactEvent(queues, { type: 'message', ...message }),
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
      const workers: Worker[] = [...contactEventWorkers(env, queues), outboundWorker(env, queues, allSenders), broadcastWorker(env, queues)];
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
