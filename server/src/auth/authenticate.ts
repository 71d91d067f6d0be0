import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Request, RequestHandler } from 'express';
import { parse as parseCookies } from 'cookie';
import { bind, prepared, type Database } from '@couponflow/db';
import { ApiError } from '../http/apiError';
import { hashApiKey, type ApiRole } from './apiKeys';
import { sameSecret } from './sameSecret';
import { principalOfKeyHash, principalOfSession, sessionCookie } from './webSessions';

export type Principal =
  | { kind: 'instance_admin' }
  | { kind: 'org'; orgId: string; role: ApiRole; keyId: string; features: { coupons: boolean } };

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** `last_used_at` is written at most this often per key, so most requests stay reads. */
const lastUsedResolutionMs = 60_000;

/**
 * Resolves `Authorization: Bearer <key>` — or, for the web app, its session cookie — to the
 * instance admin or an organisation key; 401 otherwise.
 */
export function authenticate(db: Database, adminKeyHash: string): RequestHandler {
  return async (req, _res, next) => {
    const principal = (await fromHeader(req, db, adminKeyHash)) ?? (await fromCookie(req, db));
    if (principal.kind === 'org') {
      const { lastUsedAt, ...org } = principal as Extract<Principal, { kind: 'org' }> & { lastUsedAt?: Date | null };
      if (lastUsedAt !== undefined) await touchKey(db, org.keyId, lastUsedAt);
      req.principal = org;
    } else req.principal = principal;
    next();
  };
}

/** The principal of a bearer key, or undefined when the key is not valid. */
export async function principalOfApiKey(db: Database, adminKeyHash: string, key: string): Promise<Principal | undefined> {
  const hash = hashApiKey(key);
  if (sameSecret(hash, adminKeyHash)) return { kind: 'instance_admin' };
  return principalOfKeyHash(db, hash);
}

async function fromHeader(req: Request, db: Database, adminKeyHash: string): Promise<Principal | undefined> {
  const header = req.get('authorization');
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new ApiError(401, 'unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
  const principal = await principalOfApiKey(db, adminKeyHash, match[1]!);
  if (!principal) throw new ApiError(401, 'unauthorized', 'The API key is not valid');
  return principal;
}

async function fromCookie(req: Request, db: Database): Promise<Principal> {
  const id = parseCookies(req.get('cookie') ?? '')[sessionCookie];
  if (!id) throw new ApiError(401, 'unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
  const principal = await principalOfSession(db, id);
  if (!principal) throw new ApiError(401, 'unauthorized', 'The session has ended; sign in again');
  // A cookie rides along on requests other sites make: changes must come from our own pages.
  if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method) && !sameOrigin(req))
    throw new ApiError(403, 'csrf_refused', 'Cookie-authenticated changes must come from this site (Origin header)');
  return principal;
}

/** The browser's Origin names the host the request was sent to. */
export function sameOrigin(req: Request): boolean {
  const origin = req.get('origin');
  if (!origin) return false;
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

/** Writes the key's last use when the one on record is older than the resolution (most requests write nothing). */
async function touchKey(db: Database, keyId: string, lastUsedAt: Date | null): Promise<void> {
  const now = new Date();
  const stale = new Date(now.getTime() - lastUsedResolutionMs);
  if (lastUsedAt && lastUsedAt >= stale) return;
  await prepared(db, 'server.touchKey', (d, t) =>
    d
      .update(t.apiKeys)
      .set({ lastUsedAt: bind('now') })
      .where(and(eq(t.apiKeys.id, bind('keyId')), or(isNull(t.apiKeys.lastUsedAt), lt(t.apiKeys.lastUsedAt, bind('stale'))))),
  ).run({ now, keyId, stale });
}
