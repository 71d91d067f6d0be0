import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { apiKeys, newId, organisations, webSessions, writeTransaction, type Database } from '@couponflow/db';
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

export function listOrganisations(db: Database): (OrgView & { createdAt: string })[] {
  return db
    .select()
    .from(organisations)
    .orderBy(desc(organisations.createdAt))
    .all()
    .map((o) => ({ id: o.id, name: o.name, features: o.features, createdAt: o.createdAt.toISOString() }));
}

export interface ApiKeyView {
  id: string;
  role: ApiRole;
  name: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The organisation's live keys, oldest first; never the secret (only its hash is stored anyway). */
export function listApiKeys(db: Database, orgId: string): ApiKeyView[] {
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
    .all()
    .map((k) => ({ id: k.id, role: k.role, name: k.name, createdAt: k.createdAt.toISOString(), lastUsedAt: k.lastUsedAt?.toISOString() ?? null }));
}

export type RevokeKeyResult = 'revoked' | 'not_found' | 'forbidden' | 'last_owner_key';

/** Revokes a key at once: requests with it and web sessions opened with it stop working. */
export function revokeApiKey(db: Database, orgId: string, keyId: string, callerRole: ApiRole): RevokeKeyResult {
  return writeTransaction(db, (tx) => {
    const key = tx.select().from(apiKeys).where(and(eq(apiKeys.id, keyId), eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt))).get();
    if (!key) return 'not_found';
    if (key.role === 'owner' && callerRole !== 'owner') return 'forbidden';
    if (key.role === 'owner') {
      const owners = tx.select({ id: apiKeys.id }).from(apiKeys).where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.role, 'owner'), isNull(apiKeys.revokedAt))).all();
      if (owners.length <= 1) return 'last_owner_key';
    }
    tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, keyId)).run();
    tx.delete(webSessions).where(eq(webSessions.keyId, keyId)).run();
    return 'revoked';
  });
}
