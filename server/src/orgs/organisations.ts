import { eq } from 'drizzle-orm';
import { apiKeys, newId, organisations, writeTransaction, type Database } from '@couponflow/db';
import { hashApiKey, newApiKeySecret, type ApiRole } from '../auth/apiKeys';

export interface Features {
  coupons: boolean;
}
export interface OrgView {
  id: string;
  name: string;
  features: Features;
}

/** A new organisation with its first owner key (the only time the key is shown). */
export function createOrganisation(db: Database, name: string, features: Features): { org: OrgView; apiKey: string } {
  return writeTransaction(db, (tx) => {
    const org = { id: newId('org'), name, features };
    tx.insert(organisations).values({ ...org, createdAt: new Date() }).run();
    const { key } = createApiKey(tx, org.id, 'owner', 'owner');
    return { org, apiKey: key };
  });
}

export function updateFeatures(db: Database, orgId: string, features: Partial<Features>): OrgView | undefined {
  const current = db.select().from(organisations).where(eq(organisations.id, orgId)).get();
  if (!current) return undefined;
  const next = { ...current.features, ...features };
  db.update(organisations).set({ features: next }).where(eq(organisations.id, orgId)).run();
  return { id: current.id, name: current.name, features: next };
}

export function createApiKey(db: Database, orgId: string, role: ApiRole, name: string | null): { id: string; role: ApiRole; key: string } {
  const key = newApiKeySecret();
  const id = newId('key');
  db.insert(apiKeys).values({ id, orgId, role, name, keyHash: hashApiKey(key), createdAt: new Date() }).run();
  return { id, role, key };
}

export interface OrgSettings {
  id: string;
  name: string;
  timeZone: string;
}

export function orgSettings(db: Database, orgId: string): OrgSettings | undefined {
  return db.select({ id: organisations.id, name: organisations.name, timeZone: organisations.timeZone }).from(organisations).where(eq(organisations.id, orgId)).get();
}

export function updateOrgSettings(db: Database, orgId: string, change: { name?: string; timeZone?: string }): OrgSettings | undefined {
  if (change.name !== undefined || change.timeZone !== undefined) db.update(organisations).set(change).where(eq(organisations.id, orgId)).run();
  return orgSettings(db, orgId);
}
