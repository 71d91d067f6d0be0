import { and, desc, eq } from 'drizzle-orm';
import { newId, type Channel, type CredentialCipher, type Database, type inboxes } from '@couponflow/db';

/** SPEC §3.4 default outbound rates per platform, messages per second. */
export const defaultRateLimits: Record<Channel, number> = {
  messenger: 250,
  whatsapp: 80,
  line: 1000,
  botframework: 100,
  webchat: 1000,
};

export type OfferTemplate = NonNullable<(typeof inboxes.$inferSelect)['offerTemplate']>;

export interface InboxInput {
  channel: Channel;
  name: string;
  credentials: Record<string, string>;
  apiBaseUrl?: string;
  rateLimitPerSecond?: number;
  offerTemplate?: OfferTemplate | null;
}

export type InboxPatch = Partial<Pick<InboxInput, 'name' | 'credentials' | 'rateLimitPerSecond' | 'offerTemplate'>> & { apiBaseUrl?: string | null };

export interface InboxView {
  id: string;
  channel: Channel;
  name: string;
  apiBaseUrl: string | null;
  rateLimitPerSecond: number;
  offerTemplate: OfferTemplate | null;
  /** every value masked: the API never gives a secret back */
  credentials: Record<string, string>;
  createdAt: string;
}

/** Enough of a value to recognise it (its last 4 characters when long), never enough to use it. */
export const maskSecret = (value: string) => (value.length === 0 ? '' : value.length >= 12 ? `****${value.slice(-4)}` : '****');

function view(row: typeof inboxes.$inferSelect, cipher: CredentialCipher): InboxView {
  let credentials: Record<string, string> = {};
  try {
    credentials = Object.fromEntries(Object.entries(cipher.open(row.credentials)).map(([k, v]) => [k, maskSecret(v)]));
  } catch {
    // sealed with another key: shown as empty, and the channel reports itself broken when used
  }
  return {
    id: row.id,
    channel: row.channel,
    name: row.name,
    apiBaseUrl: row.apiBaseUrl,
    rateLimitPerSecond: row.rateLimitPerSecond,
    offerTemplate: row.offerTemplate ?? null,
    credentials,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function createInbox(db: Database, cipher: CredentialCipher, orgId: string, input: InboxInput): Promise<InboxView> {
  const { inboxes } = db.tables;
  const now = new Date();
  const [row] = await db
    .insert(inboxes)
    .values({
      id: newId('inb'),
      orgId,
      channel: input.channel,
      name: input.name,
      credentials: cipher.seal(input.credentials),
      apiBaseUrl: input.apiBaseUrl ?? null,
      rateLimitPerSecond: input.rateLimitPerSecond ?? defaultRateLimits[input.channel],
      offerTemplate: input.offerTemplate ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return view(row!, cipher);
}

export async function listInboxes(db: Database, cipher: CredentialCipher, orgId: string): Promise<InboxView[]> {
  const { inboxes } = db.tables;
  const rows = await db.select().from(inboxes).where(eq(inboxes.orgId, orgId)).orderBy(desc(inboxes.id));
  return rows.map((row) => view(row, cipher));
}

export async function getInbox(db: Database, cipher: CredentialCipher, orgId: string, inboxId: string): Promise<InboxView | undefined> {
  const { inboxes } = db.tables;
  const [row] = await db.select().from(inboxes).where(and(eq(inboxes.id, inboxId), eq(inboxes.orgId, orgId))).limit(1);
  return row && view(row, cipher);
}

/** Credentials are replaced as a whole (they are never read back to merge). */
export async function updateInbox(db: Database, cipher: CredentialCipher, orgId: string, inboxId: string, patch: InboxPatch): Promise<InboxView | undefined> {
  const { inboxes } = db.tables;
  const [row] = await db
    .update(inboxes)
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.credentials !== undefined ? { credentials: cipher.seal(patch.credentials) } : {}),
      ...(patch.apiBaseUrl !== undefined ? { apiBaseUrl: patch.apiBaseUrl } : {}),
      ...(patch.rateLimitPerSecond !== undefined ? { rateLimitPerSecond: patch.rateLimitPerSecond } : {}),
      ...(patch.offerTemplate !== undefined ? { offerTemplate: patch.offerTemplate } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(inboxes.id, inboxId), eq(inboxes.orgId, orgId)))
    .returning();
  return row && view(row, cipher);
}

export async function deleteInbox(db: Database, orgId: string, inboxId: string): Promise<boolean> {
  const { inboxes } = db.tables;
  const deleted = await db
    .delete(inboxes)
    .where(and(eq(inboxes.id, inboxId), eq(inboxes.orgId, orgId)))
    .returning({ id: inboxes.id });
  return deleted.length > 0;
}
