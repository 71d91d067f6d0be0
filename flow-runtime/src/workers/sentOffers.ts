import type { Redis } from 'ioredis';

interface SentOffer {
  runId: string;
  nodeId: string;
  customerId: string;
}

/**
 * The platform's id of each offer we sent, for a week: WhatsApp reports some refusals later, in a
 * webhook that names only that id, and the run waiting at the offer must still leave by `error`.
 */
const weekSeconds = 7 * 24 * 3600;

/** A memo to write, e.g. in the same script that records the message as sent (see outboundOrder's settle). */
export interface Memo {
  key: string;
  value: string;
  ttlSeconds: number;
}

export function sentOffers(redis: Redis, prefix: string) {
  const key = (inboxId: string, messageId: string) => `${prefix}:sent-offer:${inboxId}:${messageId}`;
  const memo = (inboxId: string, messageId: string, offer: SentOffer): Memo => ({ key: key(inboxId, messageId), value: JSON.stringify(offer), ttlSeconds: weekSeconds });
  return {
    memo,
    find: async (inboxId: string, messageId: string): Promise<SentOffer | undefined> => {
      const value = await redis.get(key(inboxId, messageId));
      return value ? (JSON.parse(value) as SentOffer) : undefined;
    },
  };
}
