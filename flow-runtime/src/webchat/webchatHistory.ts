import { and, asc, eq, gt } from 'drizzle-orm';
import type { Database } from '@couponflow/db';

export interface WebchatItem {
  seq: number;
  type: 'text' | 'image' | 'offer';
  text: string | null;
  imageUrl: string | null;
  buttons: Array<{ title: string; url: string }>;
}

/** The bot's messages to one visitor after `after`, oldest first (SPEC §4 web chat). */
export async function webchatHistory(db: Database, inboxId: string, contactId: string, after = 0, limit = 200): Promise<WebchatItem[]> {
  const { webchatMessages } = db.tables;
  return db
    .select({ seq: webchatMessages.seq, type: webchatMessages.type, text: webchatMessages.text, imageUrl: webchatMessages.imageUrl, buttons: webchatMessages.buttons })
    .from(webchatMessages)
    .where(and(eq(webchatMessages.inboxId, inboxId), eq(webchatMessages.contactId, contactId), gt(webchatMessages.seq, after)))
    .orderBy(asc(webchatMessages.seq))
    .limit(limit);
}
