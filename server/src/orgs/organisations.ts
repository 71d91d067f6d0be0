import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { lockForUpdate, newId, writeTransaction, type Database } from '@couponflow/db';
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
export function createOrganisation(db: Database, name: string, features: Features): Promise<{ org: OrgView; apiKey: string }> {
  return writeTransaction(db, async (tx) => {
    const org = { id: newId('org'), name, features };
    await tx.insert(tx.tables.organisations).values({ ...org, createdAt: new Date() });
    const { key } = await createApiKey(tx, org.id, 'owner', 'owner');
    return { org, apiKey: key };
  });
}

export function updateFeatures(db: Database, orgId: string, features: Partial<Features>): Promise<OrgView | undefined> {
  // Read, merge, write: under the organisation's lock, so two changes to different add-ons both stay.
  return writeTransaction(db, async (tx) => {
    const { organisations } = tx.tables;
    await lockForUpdate(tx, 'organisation', orgId);
    const [current] = await tx.select().from(organisations).where(eq(organisations.id, orgId)).limit(1);
    if (!current) return undefined;
    const next = { ...current.features, ...features };
    await tx.update(organisations).set({ features: next }).where(eq(organisations.id, orgId));
    return { id: current.id, name: current.name, features: next };
  });
}

export async function createApiKey(db: Database, orgId: string, role: ApiRole, name: string | null): Promise<{ id: string; role: ApiRole; key: string }> {
  const key = newApiKeySecret();
  const id = newId('key');
  await db.insert(db.tables.apiKeys).values({ id, orgId, role, name, keyHash: hashApiKey(key), createdAt: new Date() });
  return { id, role, key };
}

export interface OrgSettings {
  id: string;
  name: string;
  timeZone: string;
}

export async function orgSettings(db: Database, orgId: string): Promise<OrgSettings | undefined> {
  const { organisations } = db.tables;
  const [settings] = await db
    .select({ id: organisations.id, name: organisations.name, timeZone: organisations.timeZone })
    .from(organisations)
    .where(eq(organisations.id, orgId))
    .limit(1);
  return settings;
}

export async function updateOrgSettings(db: Database, orgId: string, change: { name?: string; timeZone?: string }): Promise<OrgSettings | undefined> {
  const { organisations } = db.tables;
  if (change.name !== undefined || change.timeZone !== undefined) await db.update(organisations).set(change).where(eq(organisations.id, orgId));
  return orgSettings(db, orgId);
}

export async function listOrganisations(db: Database): Promise<(OrgView & { createdAt: string })[]> {
  const { organisations } = db.tables;
  const rows = await db.select().from(organisations).orderBy(desc(organisations.createdAt), desc(organisations.id));
  return rows.map((o) => ({ id: o.id, name: o.name, features: o.features, createdAt: o.createdAt.toISOString() }));
}

export interface ApiKeyView {
  id: string;
  role: ApiRole;
  name: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The organisation's live keys, oldest first; never the secret (only its hash is stored anyway). */
export async function listApiKeys(db: Database, orgId: string): Promise<ApiKeyView[]> {
  const { apiKeys } = db.tables;
  const rows = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
  return rows.map((k) => ({ id: k.id, role: k.role, name: k.name, createdAt: k.createdAt.toISOString(), lastUsedAt: k.lastUsedAt?.toISOString() ?? null }));
}

export type RevokeKeyResult = 'revoked' | 'not_found' | 'forbidden' | 'last_owner_key';

/** Revokes a key at once: requests with it and web sessions opened with it stop working. */
export function revokeApiKey(db: Database, orgId: string, keyId: string, callerRole: ApiRole): Promise<RevokeKeyResult> {
  return writeTransaction(db, async (tx) => {
    const { apiKeys, webSessions } = tx.tables;
    // Two owners revoking each other's keys at once must not leave the organisation without one.
    await lockForUpdate(tx, 'organisation-keys', orgId);
    const [key] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)))
      .limit(1);
    if (!key) return 'not_found';
    if (key.role === 'owner' && callerRole !== 'owner') return 'forbidden';
    if (key.role === 'owner') {
      const owners = await tx
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.role, 'owner'), isNull(apiKeys.revokedAt)));
      if (owners.length <= 1) return 'last_owner_key';
    }
    await tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, keyId));
    await tx.delete(webSessions).where(eq(webSessions.keyId, keyId));
    return 'revoked';
  });
}
