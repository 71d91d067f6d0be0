import type { Redis } from 'ioredis';
import { bind, prepared, writeTransaction, type Database } from '@couponflow/db';
import type { ChannelSender, Delivery } from '../delivery/channelSender';

export const webchatChannel = (inboxId: string, contactId: string) => `webchat:${inboxId}:${contactId}`;

export type WebchatDelivery = Pick<Delivery, 'inboxId' | 'customerId' | 'message' | 'idempotencyKey'>;

export interface WebchatSender extends ChannelSender {
  /**
   * Delivers many messages in one write transaction (one commit instead of one per message), each
   * at most once by its idempotency key, then announces the rows it inserted in one round trip.
   */
  sendMany(deliveries: WebchatDelivery[]): Promise<void>;
}

// Every announcement of a batch in one call: a PUBLISH each was a socket write each, on both ends.
const announceAll = `
for i = 1, #ARGV, 2 do redis.call('publish', ARGV[i], ARGV[i + 1]) end
return 0`;

interface AnnounceCommand {
  cfWebchatAnnounce(keys: 0, ...channelAndSeq: string[]): Promise<unknown>;
}

/**
 * The built-in web chat "platform": a delivered message is a row the visitor's browser reads,
 * announced on Redis pub/sub so every server process can push it down its open streams.
 */
export function webchatSender(db: Database, publisher: Redis): WebchatSender {
  if (!('cfWebchatAnnounce' in publisher)) publisher.defineCommand('cfWebchatAnnounce', { lua: announceAll });
  const announcer = publisher as unknown as AnnounceCommand;
  const sendMany = async (deliveries: WebchatDelivery[]) => {
    if (deliveries.length === 0) return;
    const createdAt = new Date();
    // Its only effects are its inserts (the announcements follow the commit): group commit may run it again.
    const inserted = await writeTransaction(
      db,
      async (tx) => {
        const insert = prepared(tx, 'deliverWebchat', (d, { webchatMessages }) =>
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
        );
        const seqs: Array<number | undefined> = [];
        for (const { inboxId, customerId, message, idempotencyKey } of deliveries) {
          const row = await insert.get({
            inboxId,
            contactId: customerId,
            deliveryKey: idempotencyKey,
            type: message.type,
            text: message.text ?? null,
            imageUrl: message.imageUrl ?? null,
            buttons: JSON.stringify(message.buttons),
            createdAt,
          });
          seqs.push(row?.seq);
        }
        return seqs;
      },
      { rerunnable: true },
    );
    // A row already there (a repeat after a crash) was announced when it was inserted.
    const announcements: string[] = [];
    deliveries.forEach((d, i) => {
      if (inserted[i] !== undefined) announcements.push(webchatChannel(d.inboxId, d.customerId), String(inserted[i]));
    });
    if (announcements.length) await announcer.cfWebchatAnnounce(0, ...announcements);
  };
  return {
    sendMany,
    async send(delivery) {
      await sendMany([delivery]);
      return { ok: true };
    },
  };
}
