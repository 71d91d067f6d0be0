import { and, eq } from 'drizzle-orm';
import { backends } from '@couponflow/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { addContactTag, contactTagList, ensureContact, removeContactTag } from './contactTags';
import { testWorld, type TestWorld } from './testing/testEngine';

let w: TestWorld;
afterEach(() => w.close());

describe.each(backends)('on %s', (backend) => {
  it('makes the contact on its first tag, keeps each tag once, and tags it in its own inbox only', async () => {
    w = await testWorld(backend);
    const alice = { orgId: w.orgId, inboxId: 'inbox1', customerId: 'alice' };
    await addContactTag(w.db, alice, 'vip', w.clock.now());
    w.clock.advance(1000);
    await addContactTag(w.db, alice, 'vip', w.clock.now());
    await addContactTag(w.db, alice, 'newsletter', w.clock.now());
    expect(await contactTagList(w.db, alice)).toEqual(['newsletter', 'vip']);
    expect(await contactTagList(w.db, { ...alice, inboxId: 'inbox2' })).toEqual([]);

    const { contacts } = w.db.tables;
    const rows = await w.db.select().from(contacts).where(and(eq(contacts.orgId, w.orgId), eq(contacts.customerId, 'alice')));
    expect(rows).toHaveLength(1);
    // Made on first sight with no attributes; every later tag marks it as seen again.
    expect(rows[0]).toMatchObject({ inboxId: 'inbox1', attributes: {}, createdAt: new Date('2026-06-01T12:00:00.000Z'), updatedAt: new Date('2026-06-01T12:00:01.000Z') });
    expect(await ensureContact(w.db, alice, w.clock.now())).toBe(rows[0]!.id);

    await removeContactTag(w.db, alice, 'vip');
    expect(await contactTagList(w.db, alice)).toEqual(['newsletter']);
  });
});
