import { and, eq, sql } from 'drizzle-orm';
import { bind, newId, prepared, type Database } from '@couponflow/db';

export interface ContactKey {
  orgId: string;
  inboxId: string;
  customerId: string;
}

/** The contact row for a customer in an inbox, made on first sight. */
export async function ensureContact(db: Database, key: ContactKey, now: Date): Promise<string> {
  // Prepared: an offer or a flow step that tags a contact runs these two statements each time, and
  // building them with the query builder cost ~100 µs a call.
  const row = await prepared(db, 'ensureContact', (d, { contacts }) =>
    d
      .insert(contacts)
      .values({ id: bind('id'), orgId: bind('orgId'), inboxId: bind('inboxId'), customerId: bind('customerId'), attributes: {}, createdAt: bind('now'), updatedAt: bind('now') })
      .onConflictDoUpdate({ target: [contacts.orgId, contacts.inboxId, contacts.customerId], set: { updatedAt: bind('now') } })
      .returning({ id: contacts.id }),
  ).get({ id: newId('cnt'), orgId: key.orgId, inboxId: key.inboxId, customerId: key.customerId, now });
  return row!.id;
}

export async function addContactTag(db: Database, key: ContactKey, tag: string, now: Date): Promise<void> {
  const contactId = await ensureContact(db, key, now);
  await prepared(db, 'addContactTag', (d, { contactTags }) =>
    d.insert(contactTags).values({ orgId: bind('orgId'), contactId: bind('contactId'), tag: bind('tag'), createdAt: bind('now') }).onConflictDoNothing(),
  ).run({ orgId: key.orgId, contactId, tag, now });
}

export async function removeContactTag(db: Database, key: ContactKey, tag: string): Promise<void> {
  await prepared(db, 'removeContactTag', (d, { contacts, contactTags }) =>
    d
      .delete(contactTags)
      .where(
        and(
          eq(contactTags.orgId, bind('orgId')),
          eq(contactTags.tag, bind('tag')),
          eq(contactTags.contactId, sql`(select id from ${contacts} where ${contacts.orgId} = ${bind('orgId')} and ${contacts.inboxId} = ${bind('inboxId')} and ${contacts.customerId} = ${bind('customerId')})`),
        ),
      ),
  ).run({ orgId: key.orgId, inboxId: key.inboxId, customerId: key.customerId, tag });
}

export async function contactTagList(db: Database, key: ContactKey): Promise<string[]> {
  const rows = await prepared(db, 'contactTagList', (d, { contacts, contactTags }) =>
    d
      .select({ tag: contactTags.tag })
      .from(contactTags)
      .innerJoin(contacts, eq(contacts.id, contactTags.contactId))
      .where(and(eq(contacts.orgId, bind('orgId')), eq(contacts.inboxId, bind('inboxId')), eq(contacts.customerId, bind('customerId'))))
      .orderBy(contactTags.tag),
  ).all({ orgId: key.orgId, inboxId: key.inboxId, customerId: key.customerId });
  return rows.map((r) => r.tag);
}
