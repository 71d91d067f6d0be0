import type { Redis } from 'ioredis';

/**
 * One contact's outbound messages go out in order, one at a time: each contact has a sorted set of
 * its queued outbox ids, and only the lowest may be sent. Others wait a moment and look again,
 * while different contacts proceed in parallel (the worker's concurrency).
 *
 * Beside the sets, a count per inbox of the messages registered and not yet done (the sum of its
 * contacts' sets, kept in the same scripts): how far the inbox's delivery is behind what its runs
 * queued, which a broadcast reads to keep pace with its own delivery.
 */
const registerUnlessQueued = `if redis.call('exists', KEYS[1]) == 0 and redis.call('zadd', KEYS[2], ARGV[1], ARGV[2]) == 1 then redis.call('hincrby', KEYS[3], ARGV[3], 1) end return 0`;
const markDone = `if redis.call('zrem', KEYS[1], ARGV[1]) == 1 and redis.call('hincrby', KEYS[2], ARGV[2], -1) <= 0 then redis.call('hdel', KEYS[2], ARGV[2]) end return 0`;

export function outboundOrder(redis: Redis, prefix: string) {
  const key = (inboxId: string, customerId: string) => `${prefix}:outbound-order:${inboxId}:${customerId}`;
  const pendingKey = `${prefix}:outbound-pending`;
  return {
    /**
     * Called when the outbox hands rows to BullMQ, before the job is added. A row handed over
     * again (its flush did not get to mark it) whose job already exists is not registered again:
     * its job may have been sent and left the order already, and a stale entry would hold up every
     * later message of the contact.
     */
    enqueue(pipeline: ReturnType<Redis['pipeline']>, inboxId: string, customerId: string, outboxId: number, jobKey: string) {
      pipeline.eval(registerUnlessQueued, 3, jobKey, key(inboxId, customerId), pendingKey, outboxId, String(outboxId), inboxId);
    },
    async isTurnOf(inboxId: string, customerId: string, outboxId: number): Promise<boolean> {
      const [first] = await redis.zrange(key(inboxId, customerId), 0, 0);
      return first === undefined || Number(first) >= outboxId;
    },
    /** The message is done with (sent, refused for good, or given up): the next one may go. */
    async done(inboxId: string, customerId: string, outboxId: number) {
      await redis.eval(markDone, 2, key(inboxId, customerId), pendingKey, String(outboxId), inboxId);
    },
    /** How many of the inbox's messages are registered and not yet done, across every process. */
    async pending(inboxId: string): Promise<number> {
      return Number((await redis.hget(pendingKey, inboxId)) ?? 0);
    },
  };
}

export type OutboundOrder = ReturnType<typeof outboundOrder>;
