import type { Redis } from 'ioredis';
import { bind, prepared, type Database } from '@couponflow/db';
import type { ChannelSender } from '../delivery/channelSender';

export const webchatChannel = (inboxId: string, contactId: string) => `webchat:${inboxId}:${contactId}`;

/**
 * The built-in web chat "platform": a delivered message is a row the visitor's browser reads,
 * announced on Redis pub/sub so every server process can push it down its open streams.
 */
export function webchatSender(db: Database, publisher: Redis): ChannelSender {
  return {
    async send({ inboxId, customerId, message, idempotencyKey }) {
      const inserted = await prepared(db, 'deliverWebchat', (d, { webchatMessages }) =>
        d
          .insert(webchatMessages)
          .values({
            inboxId: bind('inboxId'),
            contactId: bind('contactId'),
            deliveryKey: bind('deliveryKey'),
            type: bind('type'),
            text: bind('text'),
            imageUrl: bind('imageUrl'),
            buttons: bind('buttons'),
            createdAt: bind('createdAt'),
          })
          .onConflictDoNothing()
          .returning({ seq: webchatMessages.seq }),
      ).get({
        inboxId,
        contactId: customerId,
        deliveryKey: idempotencyKey,
        type: message.type,
        text: message.text ?? null,
        imageUrl: message.imageUrl ?? null,
        buttons: JSON.stringify(message.buttons),
        createdAt: new Date(),
      });
      if (inserted) await publisher.publish(webchatChannel(inboxId, customerId), String(inserted.seq));
      return { ok: true };
    },
  };
}
