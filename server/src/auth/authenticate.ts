import { and, eq, isNull } from 'drizzle-orm';
import type { RequestHandler } from 'express';
import { apiKeys, organisations, type Database } from '@couponflow/db';
import { ApiError } from '../http/apiError';
import { hashApiKey, type ApiRole } from './apiKeys';
import { sameSecret } from './sameSecret';

export type Principal =
  | { kind: 'instance_admin' }
  | { kind: 'org'; orgId: string; role: ApiRole; keyId: string; features: { coupons: boolean } };

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Resolves `Authorization: Bearer <key>` to the instance admin or an organisation key; 401 otherwise. */
export function authenticate(db: Database, adminKeyHash: string): RequestHandler {
  return (req, _res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (!match) throw new ApiError(401, 'unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
    const hash = hashApiKey(match[1]!);
    if (sameSecret(hash, adminKeyHash)) {
      req.principal = { kind: 'instance_admin' };
      return next();
    }
    const row = db
      .select({ keyId: apiKeys.id, orgId: apiKeys.orgId, role: apiKeys.role, features: organisations.features })
      .from(apiKeys)
      .innerJoin(organisations, eq(organisations.id, apiKeys.orgId))
      .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
      .get();
    if (!row) throw new ApiError(401, 'unauthorized', 'The API key is not valid');
    req.principal = { kind: 'org', ...row };
    next();
  };
}
