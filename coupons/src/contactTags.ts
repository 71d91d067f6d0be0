import { and, eq, sql } from 'drizzle-orm';
import { contactTags, contacts, newId, type Database } from '@couponflow/db';

export interface ContactKey {
  orgId: string;
  inboxId: string;
  customerId: string;
}

/** The contact row for a customer in an inbox, made on first sight. */
export function ensureContact(db: Database, key: ContactKey, now: Date): string {
  const row = db
    .insert(contacts)
    .values({ id: newId('cnt'), ...key, attributes: {}, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [contacts.orgId, contacts.inboxId, contacts.customerId], set: { updatedAt: now } })
    .returning({ id: contacts.id })
    .get();
  return row.id;
}

export function addContactTag(db: Database, key: ContactKey, tag: string, now: Date): void {
  const contactId = ensureContact(db, key, now);
  db.insert(contactTags).values({ orgId: key.orgId, contactId, tag, createdAt: now }).onConflictDoNothing().run();
}

export function removeContactTag(db: Database, key: ContactKey, tag: string): void {
  db.delete(contactTags)
    .where(
      and(
        eq(contactTags.orgId, key.orgId),
        eq(contactTags.tag, tag),
        eq(contactTags.contactId, sql`(select id from ${contacts} where ${contacts.orgId} = ${key.orgId} and ${contacts.inboxId} = ${key.inboxId} and ${contacts.customerId} = ${key.customerId})`),
      ),
    )
    .run();
}

export function contactTagList(db: Database, key: ContactKey): string[] {
  return db
    .select({ tag: contactTags.tag })
    .from(contactTags)
    .innerJoin(contacts, eq(contacts.id, contactTags.contactId))
    .where(and(eq(contacts.orgId, key.orgId), eq(contacts.inboxId, key.inboxId), eq(contacts.customerId, key.customerId)))
    .orderBy(contactTags.tag)
    .all()
    .map((r) => r.tag);
}
