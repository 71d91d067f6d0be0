import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';
import { hashApiKey } from './apiKeys';
import type { Principal } from './authenticate';

export const sessionCookie = 'cf_session';
/** A web sign-in lasts a working week; signing in again starts a new one. */
export const sessionLifetimeMs = 7 * 24 * 60 * 60 * 1000;

/** Opens a session for a principal that just proved its key; answers the secret id for the cookie. */
export async function openSession(db: Database, principal: Principal, now = new Date()): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  const { webSessions } = db.tables;
  await db.delete(webSessions).where(lt(webSessions.expiresAt, now));
  await db.insert(webSessions).values({
    idHash: hashApiKey(id),
    keyId: principal.kind === 'org' ? principal.keyId : null,
    instanceAdmin: principal.kind === 'instance_admin',
    createdAt: now,
    expiresAt: new Date(now.getTime() + sessionLifetimeMs),
  });
  return id;
}

/** The principal behind a session cookie; undefined when it expired, was closed, or its key was revoked. */
export async function principalOfSession(db: Database, id: string, now = new Date()): Promise<Principal | undefined> {
  const session = await prepared(db, 'server.sessionByHash', (d, t) =>
    d
      .select({ keyId: t.webSessions.keyId, instanceAdmin: t.webSessions.instanceAdmin })
      .from(t.webSessions)
      .where(and(eq(t.webSessions.idHash, bind('idHash')), gt(t.webSessions.expiresAt, bind('now')))),
  ).get({ idHash: hashApiKey(id), now });
  if (!session) return undefined;
  if (session.instanceAdmin) return { kind: 'instance_admin' };
  if (!session.keyId) return undefined;
  return principalOfKeyId(db, session.keyId);
}

export async function closeSession(db: Database, id: string): Promise<void> {
  const { webSessions } = db.tables;
  await db.delete(webSessions).where(eq(webSessions.idHash, hashApiKey(id)));
}

/** An organisation key's principal, and when the key was last used (so the caller writes that rarely). */
export type KeyPrincipal = Extract<Principal, { kind: 'org' }> & { lastUsedAt: Date | null };

/** The principal of an unrevoked organisation key, found by the key's hash. */
export async function principalOfKeyHash(db: Database, keyHash: string): Promise<KeyPrincipal | undefined> {
  const row = await prepared(db, 'server.principalOfKeyHash', (d, t) => keyQuery(d, t).where(and(eq(t.apiKeys.keyHash, bind('keyHash')), isNull(t.apiKeys.revokedAt)))).get({ keyHash });
  return row && asPrincipal(row);
}

/** The principal of an unrevoked organisation key, found by its id. */
async function principalOfKeyId(db: Database, keyId: string): Promise<KeyPrincipal | undefined> {
  const row = await prepared(db, 'server.principalOfKeyId', (d, t) => keyQuery(d, t).where(and(eq(t.apiKeys.id, bind('keyId')), isNull(t.apiKeys.revokedAt)))).get({ keyId });
  return row && asPrincipal(row);
}

function keyQuery(d: Database, t: Database['tables']) {
  return d
    .select({ keyId: t.apiKeys.id, orgId: t.apiKeys.orgId, role: t.apiKeys.role, features: t.organisations.features, lastUsedAt: t.apiKeys.lastUsedAt })
    .from(t.apiKeys)
    .innerJoin(t.organisations, eq(t.organisations.id, t.apiKeys.orgId))
    .$dynamic();
}

function asPrincipal(row: Awaited<ReturnType<typeof keyQuery>>[number]): KeyPrincipal {
  return { kind: 'org', keyId: row.keyId, orgId: row.orgId, role: row.role, features: row.features, lastUsedAt: row.lastUsedAt };
}
