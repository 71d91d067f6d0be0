import type { Worker } from 'bullmq';
import type { BotframeworkOptions, InboundEvent } from '@couponflow/channels';
import type { RecordView } from '@couponflow/coupons';
import type { CredentialCipher, Database } from '@couponflow/db';
import { startBroadcast } from './broadcasts/startBroadcast';
import { channelRegistry } from './channels/channelRegistry';
import { inboxChanges } from './channels/inboxChanges';
import type { ContactEvent } from './engine/contactEvents';
import type { CouponsFor } from './engine/couponsIn';
import { inboxInfo, type StepEnv } from './engine/stepEnv';
import { runsWaitingOnCoupon, runWaitingOnRecord, writeOfferChanged, type WaitingOffer } from './offers/waitingOffers';
import { enqueueContactEvent } from './queues/enqueueContactEvent';
import { withoutNulCharacters } from './engine/withoutNulCharacters';
import { outboxFlusher } from './queues/outboxFlusher';
import { QueueUnavailableError, redisHealth, silentLog, type RuntimeLog } from './queues/redisHealth';
import { createQueues, redisConnection } from './queues/runtimeQueues';
import { writeContactEvent } from './queues/writeOutbox';
import { webchatSender } from './webchat/webchatSender';
import { webchatSubscriptions } from './webchat/webchatSubscriptions';
import { broadcastWorker } from './workers/broadcastWorker';
import { contactEventWorkers } from './workers/contactEventWorker';
import { outboundWorker, type Senders } from './workers/outboundWorker';
import { sentOffers } from './workers/sentOffers';

export interface RuntimeOptions {
  db: Database;
  /**
   * The coupon engine on a given database handle, e.g. `(db) => createCouponEngine({ db })`: a
   * step runs it inside the step's own transaction (one engine bound to `db` cannot do that).
   */
  coupons: CouponsFor;
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
  now?: () => Date;
  log?: RuntimeLog;
  /** how often pending outbox rows are handed to Redis when nothing else triggers it, ms */
  sweepEveryMs?: number;
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;

/**
 * The runtime's workers by queue: contact events (the flow steps), web chat delivery and
 * broadcasts (chunks of runs), which write the database on every item; and platform delivery
 * (`outbound`), which only reads it and calls the platforms.
 */
export type WorkerKind = 'contact-events' | 'outbound-webchat' | 'broadcasts' | 'outbound';
export type WorkerKinds = readonly WorkerKind[];
export const allWorkerKinds: WorkerKinds = ['contact-events', 'outbound-webchat', 'broadcasts', 'outbound'];

/** The BullMQ runtime of SPEC §3.4: what servers enqueue into, and the workers that drain it. */
export async function createRuntime({
  db,
  coupons,
  redisUrl,
  publicUrl,
  cipher,
  prefix = 'couponflow',
  shards = 8,
  senders = {},
  botframework,
  now = () => new Date(),
  log = silentLog,
  sweepEveryMs = 1000,
}: RuntimeOptions) {
  const health = redisHealth(log);
  const queues = await createQueues(redisUrl, { prefix, shards, watch: health.watch });
  const outbox = outboxFlusher(db, queues, health.onError);
  const env: StepEnv = { db, coupons, publicUrl, now, flushOutbox: outbox.flush };
  const subscriber = health.watch(redisConnection(redisUrl));
  const subscriptions = webchatSubscriptions(subscriber);
  const webchat = webchatSender(db, queues.connection);
  // Every channel, web chat included, goes through its adapter.
  const registry = channelRegistry(
    db,
    cipher,
    {
      ...(botframework ? { botframework } : {}),
      webchat: async ({ inboxId, customerId, message, idempotencyKey }) => void (await webchat.send({ orgId: '', inboxId, customerId, message, idempotencyKey })),
    },
    { changes: inboxChanges(subscriber, queues.connection, prefix) },
  );
  const offers = sentOffers(queues.connection, prefix);
  // Every process sweeps: servers write outbox rows too (redemptions, broadcasts).
  const sweep = setInterval(() => void outbox.flush(), sweepEveryMs);
  let workers: Worker[] | null = null;

  const stopWorkers = async () => {
    const stopping = workers ?? [];
    workers = null;
    await Promise.all(stopping.map((w) => w.close()));
  };

  const unavailable = (error: Error): never => {
    health.onError(error);
    throw new QueueUnavailableError(error);
  };
  const enqueueOrUnavailable = (event: ContactEvent) => enqueueContactEvent(queues, event).catch(unavailable);

  return {
    queues,
    env,
    /** Whether Redis answers right now (a PING within half a second). */
    redisReachable: async () => {
      try {
        await Promise.race([queues.connection.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 500).unref())]);
        return true;
      } catch {
        return false;
      }
    },
    /**
     * An inbound message, accepted once its job is in Redis (job id = platform event id). While
     * Redis is unreachable it throws QueueUnavailableError at once, so the platform redelivers.
     */
    acceptMessage: (message: Omit<Extract<ContactEvent, { type: 'message' }>, 'type'>) => enqueueOrUnavailable(withoutNulCharacters({ type: 'message', ...message })),
    /** The inbox's channel adapter (webhook verification and parsing), or why it has none. */
    channelFor: (inboxId: string) => registry.get(inboxId),
    /**
     * Call once an edit or deletion of the inbox committed: resolves when every process has let go
     * of the channel it built from the old row. Never throws: should Redis fail here, or a process
     * not confirm in time, kept channels still look at their row again within the registry's
     * recheck interval.
     */
    inboxChanged: async (inboxId: string): Promise<void> => {
      try {
        await registry.changed(inboxId);
      } catch (error) {
        log.warn({ inboxId, err: (error as Error).message }, 'an inbox change was not confirmed by every process: those see it at their next recheck');
      }
    },
    /** A platform's later report that an offer was refused for good: the run waiting at it leaves by `error`. */
    acceptDeliveryFailure: async (inboxId: string, event: Extract<InboundEvent, { kind: 'delivery_failed' }>) => {
      if (!event.permanent) return false;
      const offer = await offers.find(inboxId, event.messageId).catch(unavailable);
      if (!offer) return false;
      await enqueueOrUnavailable({ type: 'delivery_failed', inboxId, customerId: offer.customerId, runId: offer.runId, nodeId: offer.nodeId, reason: 'delivery_failed' });
      return true;
    },
    /**
     * SPEC §3.3: the run waiting at this offer resumes by `redeemed` or by the refusal's port.
     * Call inside the transaction that redeemed, passing it as `tx`, so the outcome and its event
     * commit together.
     */
    writeRedemptionOutcome: async (record: RecordView, outcome: string, code?: string, tx: Database = db): Promise<void> => {
      const inbox = await inboxInfo(tx, record.inboxId);
      if (!inbox) return;
      // The run waiting on this record now (a later run may hold a record an earlier run was given).
      const waiting = await runWaitingOnRecord(tx, inbox.orgId, { recordId: record.id, inboxId: record.inboxId, customerId: record.customerId });
      const runId = waiting?.id ?? record.flowRunId;
      const nodeId = waiting?.currentNodeId ?? record.nodeId;
      if (!runId || !nodeId) return;
      await writeContactEvent(
        tx,
        inbox.orgId,
        { type: 'redemption', inboxId: record.inboxId, customerId: record.customerId, runId, nodeId, outcome, ...(code ? { code } : {}) },
        { now: now() },
      );
    },
    /**
     * Runs waiting on the coupon's unredeemed offers (optionally only these customers'). Call inside
     * the transaction that revokes or switches off the coupon (pass it as `tx`), before the change;
     * then hand the answer to `writeOfferChanged` once the change succeeded.
     */
    runsWaitingOnCoupon: (orgId: string, couponId: string, customerIds?: string[], tx: Database = db) => runsWaitingOnCoupon(tx, orgId, couponId, customerIds),
    /** Each run looks at its offer again at once and resumes by `coupon_expired` if it ended (same transaction `tx` as the change). */
    writeOfferChanged: (waiting: WaitingOffer[], tx: Database = db) => writeOfferChanged(tx, waiting, now()),
    /** Hands committed outbox rows to Redis now rather than at the next sweep; never throws. */
    flushOutbox: outbox.flush,
    startBroadcast: async (input: Parameters<typeof startBroadcast>[1]) => {
      const started = await startBroadcast(db, input, now());
      if (started.ok) void outbox.flush();
      return started;
    },
    subscribeWebchat: subscriptions.subscribe,
    /**
     * ROLE=worker|all: drain every queue, or only the kinds asked for (the processes of one host
     * share the work: see `WorkerKinds`).
     */
    startWorkers: (kinds: WorkerKinds = allWorkerKinds) => {
      if (workers) return;
      workers = [
        ...(kinds.includes('contact-events') ? contactEventWorkers(env, queues, registry) : []),
        ...(kinds.includes('outbound-webchat') ? [outboundWorker(env, queues, registry, { senders, webchat, log, queue: queues.outboundWebchat })] : []),
        ...(kinds.includes('broadcasts') ? [broadcastWorker(env, queues)] : []),
        ...(kinds.includes('outbound') ? [outboundWorker(env, queues, registry, { senders, webchat, log })] : []),
      ];
      for (const worker of workers) worker.on('error', health.onError);
    },
    stopWorkers,
    close: async function close(this: void) {
      clearInterval(sweep);
      await stopWorkers();
      subscriber.disconnect();
      await queues.close();
    },
  };
}
