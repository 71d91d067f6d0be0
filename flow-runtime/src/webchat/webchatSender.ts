import type { Redis } from 'ioredis';
import { webchatMessages, type Database } from '@couponflow/db';
import type { ChannelSender } from '../delivery/channelSender';

export const webchatChannel = (inboxId: string, contactId: string) => `webchat:${inboxId}:${contactId}`;

/**
 * The built-in web chat "platform": a delivered message is a row the visitor's browser reads,
 * announced on Redis pub/sub so every server process can push it down its open streams.
 */
export function webchatSender(db: Database, publisher: Redis): ChannelSender {
  return {
    async send({ inboxId, customerId, message, idempotencyKey }) {
      const inserted = db
        .insert(webchatMessages)
        .values({
          inboxId,
          contactId: customerId,
          deliveryKey: idempotencyKey,
          type: message.type,
          text: message.text ?? null,
          imageUrl: message.imageUrl ?? null,
          buttons: message.buttons,
          createdAt: new Date(),
        })
        .onConflictDoNothing()
        .returning({ seq: webchatMessages.seq })
        .get();
      if (inserted) await publisher.publish(webchatChannel(inboxId, customerId), String(inserted.seq));
      return { ok: true };
    },
  };
}
