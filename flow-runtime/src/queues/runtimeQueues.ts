import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { ContactEvent } from '../engine/contactEvents';

export const queueNames = {
  contactShard: (shard: number) => `contact-events-${shard}`,
  outbound: 'outbound',
  outboundWebchat: 'outbound-webchat',
  broadcasts: 'broadcasts',
} as const;

export interface RuntimeQueues {
  connection: Redis;
  prefix: string;
  contactShards: Queue<ContactEvent>[];
  /** platform channels' messages (see `deliveryQueueOf`) */
  outbound: Queue;
  /** web chat's messages, which delivery writes to the database */
  outboundWebchat: Queue;
  broadcasts: Queue;
  /** A connection of its own for a worker (workers block on Redis); closed with the queues. */
  workerConnection(): Redis;
  /** What every worker is built with: its own connection, the prefix, and crash recovery timing. */
  workerOptions(): { connection: Redis; prefix: string; lockDuration: number; stalledInterval: number; maxStalledCount: number };
  close(): Promise<void>;
}

/** Completed jobs are kept a day: long enough that a redelivered webhook's job id still dedupes. */
export const keepJobs: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 24 * 3600, count: 200_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export function redisConnection(url: string): Redis {
  // BullMQ workers block on Redis; they must retry forever rather than fail a command.
  return new Redis(url, { maxRetriesPerRequest: null });
}

/**
 * What servers add jobs through: while Redis is unreachable a command fails at once instead of
 * waiting in memory, so a request can answer 503 and nothing piles up.
 */
function producerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 5000 });
}

/**
 * A contact's events go to one of `shards` queues, each processed one job at a time across every
 * worker process (BullMQ global concurrency 1): one contact's events apply in order, while
 * different contacts spread over the shards.
 */
export async function createQueues(
  redisUrl: string,
  { prefix, shards, watch = (c) => c }: { prefix: string; shards: number; watch?: (connection: Redis) => Redis },
): Promise<RuntimeQueues> {
  const connection = watch(producerConnection(redisUrl));
  await waitUntilReady(connection);
  const options = { connection, prefix };
  const contactShards = Array.from({ length: shards }, (_, i) => new Queue<ContactEvent>(queueNames.contactShard(i), options));
  await Promise.all(contactShards.map((q) => q.setGlobalConcurrency(1)));
  const outbound = new Queue(queueNames.outbound, options);
  const outboundWebchat = new Queue(queueNames.outboundWebchat, options);
  const broadcasts = new Queue(queueNames.broadcasts, options);
  // BullMQ leaves connections it was handed open; these are ours to close.
  const workerConnections: Redis[] = [];
  const workerConnection = () => {
    const own = watch(redisConnection(redisUrl));
    workerConnections.push(own);
    return own;
  };
  return {
    connection,
    prefix,
    contactShards,
    outbound,
    outboundWebchat,
    broadcasts,
    workerConnection,
    workerOptions() {
      // A killed worker's active job is picked up again once its lock lapses: 10 s rather than
      // BullMQ's 30 s. Steps are idempotent, so a job taken twice does its work once. A job may
      // stall many times (each crash, or a busy event loop missing a lock renewal) before it is
      // given up: BullMQ's default of 1 failed accepted work for good after two crashes.
      return { connection: workerConnection(), prefix, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 20 };
    },
    close: async () => {
      await Promise.all([...contactShards, outbound, outboundWebchat, broadcasts].map((q) => q.close()));
      for (const c of [...workerConnections, connection]) c.disconnect();
    },
  };
}

export function shardOf(inboxId: string, customerId: string, shards: number): number {
  // FNV-1a: stable across processes and restarts.
  let hash = 0x811c9dc5;
  for (const ch of `${inboxId}\u0000${customerId}`) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/** BullMQ job ids may not contain ':'; platform event ids sometimes do. */
export const jobIdPart = (value: string) => value.replaceAll('%', '%25').replaceAll(':', '%3A');

function waitUntilReady(connection: Redis): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => connection.once('ready', () => resolve()));
}
