import { and, desc, eq } from 'drizzle-orm';
import { inboxes, newId, type Channel, type Database } from '@couponflow/db';

/** SPEC §3.4 default outbound rates per platform, messages per second. */
export const defaultRateLimits: Record<Channel, number> = {
  messenger: 250,
  whatsapp: 80,
  line: 1000,
  botframework: 100,
  webchat: 1000,
};

export interface InboxInput {
  channel: Channel;
  name: string;
  credentials: Record<string, string>;
  apiBaseUrl?: string;
  rateLimitPerSecond?: number;
}

export interface InboxView {
  id: string;
  channel: Channel;
  name: string;
  apiBaseUrl: string | null;
  rateLimitPerSecond: number;
  createdAt: string;
}

const view = (row: typeof inboxes.$inferSelect): InboxView => ({
  id: row.id,
  channel: row.channel,
  name: row.name,
  apiBaseUrl: row.apiBaseUrl,
  rateLimitPerSecond: row.rateLimitPerSecond,
  createdAt: row.createdAt.toISOString(),
});

export function createInbox(db: Database, orgId: string, input: InboxInput): InboxView {
  const row = db
    .insert(inboxes)
    .values({
      id: newId('inb'),
      orgId,
      channel: input.channel,
      name: input.name,
      credentials: input.credentials,
      apiBaseUrl: input.apiBaseUrl ?? null,
      rateLimitPerSecond: input.rateLimitPerSecond ?? defaultRateLimits[input.channel],
      createdAt: new Date(),
    })
    .returning()
    .get();
  return view(row);
}

/** Credentials are secrets: listed inboxes never carry them. */
export function listInboxes(db: Database, orgId: string): InboxView[] {
  return db.select().from(inboxes).where(eq(inboxes.orgId, orgId)).orderBy(desc(inboxes.id)).all().map(view);
}

export function getInbox(db: Database, orgId: string, inboxId: string): InboxView | undefined {
  const row = db.select().from(inboxes).where(and(eq(inboxes.id, inboxId), eq(inboxes.orgId, orgId))).get();
  return row && view(row);
}
