import { and, eq, sql } from 'drizzle-orm';
import type { ContactChannelData } from '@couponflow/channels';
import { bind, mergeJsonObject, newId, prepared, type Database } from '@couponflow/db';

export interface ContactState {
  name: string | null;
  lastInboundAt: Date | null;
  channelData: ContactChannelData | null;
}

/** What the platform needs to answer the contact, and when they last wrote (messaging windows). */
export async function contactState(db: Database, orgId: string, inboxId: string, customerId: string): Promise<ContactState | undefined> {
  return (await prepared(db, 'contactState', (d, t) =>
    d
      .select({ name: t.contacts.name, lastInboundAt: t.contacts.lastInboundAt, channelData: t.contacts.channelData })
      .from(t.contacts)
      .where(and(eq(t.contacts.orgId, bind('orgId')), eq(t.contacts.inboxId, bind('inboxId')), eq(t.contacts.customerId, bind('customerId')))),
  ).get({ orgId, inboxId, customerId })) as ContactState | undefined;
}

/** Records an inbound message on the contact (made if new): last inbound time, channel data, display name. */
export async function recordInbound(
  db: Database,
  key: { orgId: string; inboxId: string; customerId: string },
  inbound: { at: number; name?: string; channelData?: ContactChannelData },
): Promise<void> {
  const { contacts } = db.tables;
  const now = new Date();
  await db
    .insert(contacts)
    .values({
      id: newId('cnt'),
      ...key,
      attributes: {},
      name: inbound.name ?? null,
      lastInboundAt: new Date(inbound.at),
      channelData: (inbound.channelData ?? null) as Record<string, string | number> | null,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [contacts.orgId, contacts.inboxId, contacts.customerId],
      set: {
        // Platforms redeliver and reorder: the window starts at the latest message seen.
        lastInboundAt: sql`case when ${contacts.lastInboundAt} is null or ${contacts.lastInboundAt} < excluded.last_inbound_at then excluded.last_inbound_at else ${contacts.lastInboundAt} end`,
        ...(inbound.name ? { name: inbound.name } : {}),
        ...(inbound.channelData ? { channelData: mergeJsonObject(db, contacts.channelData, inbound.channelData) } : {}),
        updatedAt: now,
      },
    });
}
