import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { DatabaseHandle } from './database';
import { bind, prepared } from './preparedQuery';
import { backends, openTestDatabase } from './testing';

const opened: DatabaseHandle[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((handle) => handle.close()));
});

const createdAt = new Date('2026-06-01T12:00:00.123Z');

// Prepared statements take named values and answer rows shaped as their select: decoded values, nested objects of joins.
describe.each(backends)('on %s', (backend) => {
  it('answers a joined row with the joined table as a nested object, its values decoded', async () => {
    const handle = await openTestDatabase(backend, inject('postgresUrl'));
    opened.push(handle);
    const { db } = handle;
    const { organisations, apiKeys } = db.tables;
    await db.insert(organisations).values({ id: 'org_1', name: 'Shop', features: { coupons: true }, createdAt });
    await db.insert(apiKeys).values({ id: 'key_1', orgId: 'org_1', role: 'staff', name: null, keyHash: 'h1', createdAt });

    const keyWithOrg = prepared(db, 'test:keyWithOrg', (d, t) =>
      d
        .select({ key: { id: t.apiKeys.id, name: t.apiKeys.name, createdAt: t.apiKeys.createdAt }, org: { name: t.organisations.name, features: t.organisations.features }, role: t.apiKeys.role })
        .from(t.apiKeys)
        .innerJoin(t.organisations, eq(t.organisations.id, t.apiKeys.orgId))
        .where(eq(t.apiKeys.keyHash, bind('hash'))),
    );
    expect(await keyWithOrg.get({ hash: 'h1' })).toEqual({ key: { id: 'key_1', name: null, createdAt }, org: { name: 'Shop', features: { coupons: true } }, role: 'staff' });
    expect(await keyWithOrg.get({ hash: 'nope' })).toBeUndefined();
    await expect(async () => keyWithOrg.get({})).rejects.toThrow('No value for placeholder "hash" was provided');
  });

  it('answers null for the nested object of an outer join that found nothing', async () => {
    const handle = await openTestDatabase(backend, inject('postgresUrl'));
    opened.push(handle);
    const { db } = handle;
    const { organisations } = db.tables;
    await db.insert(organisations).values({ id: 'org_1', name: 'Shop', features: { coupons: true }, createdAt });

    const orgWithKey = prepared(db, 'test:orgWithKey', (d, t) =>
      d
        .select({ name: t.organisations.name, key: { id: t.apiKeys.id, role: t.apiKeys.role } })
        .from(t.organisations)
        .leftJoin(t.apiKeys, eq(t.apiKeys.orgId, t.organisations.id))
        .where(eq(t.organisations.id, bind('id'))),
    );
    expect(await orgWithKey.all({ id: 'org_1' })).toEqual([{ name: 'Shop', key: null }]);
  });
});
