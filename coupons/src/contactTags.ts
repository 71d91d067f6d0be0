import { and, eq, sql } from 'drizzle-orm';
import { newId, type Database } from '@couponflow/db';

export interface ContactKey {
  orgId: string;
  inboxId: string;
  customerId: string;
}

/** The contact row for a customer in an inbox, made on first sight. */
export async function ensureContact(db: Database, key: ContactKey, now: Date): Promise<string> {
  const { contacts } = db.tables;
  const [row] = await db
    .insert(contacts)
    .values({ id: newId('cnt'), ...key, attributes: {}, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [contacts.orgId, contacts.inboxId, contacts.customerId], set: { updatedAt: now } })
    .returning({ id: contacts.id });
  return row!.id;
}

export async function addContactTag(db: Database, key: ContactKey, tag: string, now: Date): Promise<void> {
  const contactId = await ensureContact(db, key, now);
  await db.insert(db.tables.contactTags).values({ orgId: key.orgId, contactId, tag, createdAt: now }).onConflictDoNothing();
}

export async function removeContactTag(db: Database, key: ContactKey, tag: string): Promise<void> {
  const { contacts, contactTags } = db.tables;
  await db
    .delete(contactTags)
    .where(
      and(
        eq(contactTags.orgId, key.orgId),
        eq(contactTags.tag, tag),
        eq(contactTags.contactId, sql`(select id from ${contacts} where ${contacts.orgId} = ${key.orgId} and ${contacts.inboxId} = ${key.inboxId} and ${contacts.customerId} = ${key.customerId})`),
      ),
    );
}

export async function contactTagList(db: Database, key: ContactKey): Promise<string[]> {
  const { contacts, contactTags } = db.tables;
  const rows = await db
    .select({ tag: contactTags.tag })
    .from(contactTags)
    .innerJoin(contacts, eq(contacts.id, contactTags.contactId))
    .where(and(eq(contacts.orgId, key.orgId), eq(contacts.inboxId, key.inboxId), eq(contacts.customerId, key.customerId)))
    .orderBy(contactTags.tag);
  return rows.map((r) => r.tag);
}
