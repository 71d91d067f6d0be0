import { and, eq, sql } from 'drizzle-orm';
import type { ContactChannelData } from '@couponflow/channels';
import { bind, contacts, newId, prepared, type Database } from '@couponflow/db';

export interface ContactState {
  name: string | null;
  lastInboundAt: Date | null;
  channelData: ContactChannelData | null;
}

/** What the platform needs to answer the contact, and when they last wrote (messaging windows). */
export function contactState(db: Database, orgId: string, inboxId: string, customerId: string): ContactState | undefined {
  return prepared(db, 'contactState', (d) =>
    d
      .select({ name: contacts.name, lastInboundAt: contacts.lastInboundAt, channelData: contacts.channelData })
      .from(contacts)
      .where(and(eq(contacts.orgId, bind('orgId')), eq(contacts.inboxId, bind('inboxId')), eq(contacts.customerId, bind('customerId'))))
      .prepare(),
  ).get({ orgId, inboxId, customerId }) as ContactState | undefined;
}

/** Records an inbound message on the contact (made if new): last inbound time, channel data, display name. */
export function recordInbound(
  db: Database,
  key: { orgId: string; inboxId: string; customerId: string },
  inbound: { at: number; name?: string; channelData?: ContactChannelData },
): void {
  const now = Date.now();
  db.insert(contacts)
    .values({
      id: newId('cnt'),
      ...key,
      attributes: {},
      name: inbound.name ?? null,
      lastInboundAt: new Date(inbound.at),
      channelData: (inbound.channelData ?? null) as Record<string, string | number> | null,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    })
    .onConflictDoUpdate({
      target: [contacts.orgId, contacts.inboxId, contacts.customerId],
      set: {
        // Platforms redeliver and reorder: the window starts at the latest message seen.
        lastInboundAt: sql`max(coalesce(${contacts.lastInboundAt}, 0), ${inbound.at})`,
        ...(inbound.name ? { name: inbound.name } : {}),
        ...(inbound.channelData ? { channelData: sql`json_patch(coalesce(${contacts.channelData}, '{}'), ${JSON.stringify(inbound.channelData)})` } : {}),
        updatedAt: new Date(now),
      },
    })
    .run();
}
