import { randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import { apiKeys, organisations, webSessions, type Database } from '@couponflow/db';
import { hashApiKey } from './apiKeys';
import type { Principal } from './authenticate';

export const sessionCookie = 'cf_session';
/** A web sign-in lasts a working week; signing in again starts a new one. */
export const sessionLifetimeMs = 7 * 24 * 60 * 60 * 1000;

/** Opens a session for a principal that just proved its key; answers the secret id for the cookie. */
export function openSession(db: Database, principal: Principal, now = new Date()): string {
  const id = randomBytes(32).toString('base64url');
  db.delete(webSessions).where(lt(webSessions.expiresAt, now)).run();
  db.insert(webSessions)
    .values({
      idHash: hashApiKey(id),
      keyId: principal.kind === 'org' ? principal.keyId : null,
      instanceAdmin: principal.kind === 'instance_admin',
      createdAt: now,
      expiresAt: new Date(now.getTime() + sessionLifetimeMs),
    })
    .run();
  return id;
}

/** The principal behind a session cookie; undefined when it expired, was closed, or its key was revoked. */
export function principalOfSession(db: Database, id: string, now = new Date()): Principal | undefined {
  const session = db
    .select()
    .from(webSessions)
    .where(and(eq(webSessions.idHash, hashApiKey(id)), gt(webSessions.expiresAt, now)))
    .get();
  if (!session) return undefined;
  if (session.instanceAdmin) return { kind: 'instance_admin' };
  if (!session.keyId) return undefined;
  return principalOfKey(db, eq(apiKeys.id, session.keyId));
}

export function closeSession(db: Database, id: string): void {
  db.delete(webSessions).where(eq(webSessions.idHash, hashApiKey(id))).run();
}

/** An unrevoked organisation key as a principal. */
export function principalOfKey(db: Database, which: ReturnType<typeof eq>): Principal | undefined {
  const row = db
    .select({ keyId: apiKeys.id, orgId: apiKeys.orgId, role: apiKeys.role, features: organisations.features, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .innerJoin(organisations, eq(organisations.id, apiKeys.orgId))
    .where(which)
    .get();
  if (!row || row.revokedAt) return undefined;
  return { kind: 'org', keyId: row.keyId, orgId: row.orgId, role: row.role, features: row.features };
}
