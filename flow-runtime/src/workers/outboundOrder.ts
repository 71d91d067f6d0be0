import type { Redis } from 'ioredis';

/**
 * One contact's outbound messages go out in order, one at a time: each contact has a sorted set of
 * its queued outbox ids, and only the lowest may be sent. Others wait a moment and look again,
 * while different contacts proceed in parallel (the worker's concurrency).
 */
const registerUnlessQueued = `if redis.call('exists', KEYS[1]) == 0 then redis.call('zadd', KEYS[2], ARGV[1], ARGV[2]) end return 0`;

export function outboundOrder(redis: Redis, prefix: string) {
  const key = (inboxId: string, customerId: string) => `${prefix}:outbound-order:${inboxId}:${customerId}`;
  return {
    /**
     * Called when the outbox hands rows to BullMQ, before the job is added. A row handed over
     * again (its flush did not get to mark it) whose job already exists is not registered again:
     * its job may have been sent and left the order already, and a stale entry would hold up every
     * later message of the contact.
     */
    enqueue(pipeline: ReturnType<Redis['pipeline']>, inboxId: string, customerId: string, outboxId: number, jobKey: string) {
      pipeline.eval(registerUnlessQueued, 2, jobKey, key(inboxId, customerId), outboxId, String(outboxId));
    },
    async isTurnOf(inboxId: string, customerId: string, outboxId: number): Promise<boolean> {
      const [first] = await redis.zrange(key(inboxId, customerId), 0, 0);
      return first === undefined || Number(first) >= outboxId;
    },
    /** The message is done with (sent, refused for good, or given up): the next one may go. */
    async done(inboxId: string, customerId: string, outboxId: number) {
      await redis.zrem(key(inboxId, customerId), String(outboxId));
    },
  };
}

export type OutboundOrder = ReturnType<typeof outboundOrder>;
