import { and, eq, sql } from 'drizzle-orm';
import type { ContactChannelData } from '@couponflow/channels';
import { bind, mergeJsonObjectWith, newId, prepared, type Database } from '@couponflow/db';

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

/**
 * Records an inbound message on the contact (made if new): last inbound time, channel data, display
 * name. One prepared upsert: what the message lacks (a name, channel data) arrives as null and
 * leaves the stored value alone.
 */
export async function recordInbound(
  db: Database,
  key: { orgId: string; inboxId: string; customerId: string },
  inbound: { at: number; name?: string; channelData?: ContactChannelData },
): Promise<void> {
  await prepared(db, 'recordInbound', (d, { contacts }) =>
    d
      .insert(contacts)
      .values({
        id: bind('id'),
        orgId: bind('orgId'),
        inboxId: bind('inboxId'),
        customerId: bind('customerId'),
        attributes: {},
        name: bind('name'),
        lastInboundAt: bind('at'),
        channelData: bind('channelData'),
        createdAt: bind('now'),
        updatedAt: bind('now'),
      })
      .onConflictDoUpdate({
        target: [contacts.orgId, contacts.inboxId, contacts.customerId],
        set: {
          // Platforms redeliver and reorder: the window starts at the latest message seen.
          lastInboundAt: sql`case when ${contacts.lastInboundAt} is null or ${contacts.lastInboundAt} < excluded.last_inbound_at then excluded.last_inbound_at else ${contacts.lastInboundAt} end`,
          name: sql`coalesce(excluded.name, ${contacts.name})`,
          channelData: sql`case when excluded.channel_data is null then ${contacts.channelData} else ${mergeJsonObjectWith(d, contacts.channelData, sql`excluded.channel_data`)} end`,
          updatedAt: sql`excluded.updated_at`,
        },
      }),
  ).run({
    id: newId('cnt'),
    ...key,
    name: inbound.name || null,
    at: new Date(inbound.at),
    channelData: inbound.channelData ? JSON.stringify(inbound.channelData) : null,
    now: new Date(),
  });
}
