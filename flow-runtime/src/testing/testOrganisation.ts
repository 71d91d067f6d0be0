import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { credentialCipher, newId, type DatabaseDialect } from '@couponflow/db';
import { openTestDatabase } from '@couponflow/db/testing';

/** A fresh test database (closed by the cleanups) holding one organisation with coupons on, and a cipher for its inboxes' credentials. */
export async function testOrganisation(backend: DatabaseDialect, cleanups: Array<() => Promise<void> | void>) {
  const handle = await openTestDatabase(backend, inject('postgresUrl'));
  cleanups.push(() => handle.close());
  const { db } = handle;
  const orgId = newId('org');
  await db.insert(db.tables.organisations).values({ id: orgId, name: 'Shop', features: { coupons: true }, createdAt: new Date() });
  return { handle, db, orgId, cipher: credentialCipher(randomBytes(32)) };
}
