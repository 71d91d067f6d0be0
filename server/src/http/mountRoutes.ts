import { Router, type Request, type RequestHandler } from 'express';
import type { z } from 'zod';
import { zodDetails } from '@couponflow/coupons';
import type { Principal } from '../auth/authenticate';
import { ApiError } from './apiError';
import type { Access, AnyRoute } from './defineRoute';

/** Turns route declarations into an express router: key check, role check, add-on check, validation. */
export function mountRoutes(routes: AnyRoute[], authenticate: RequestHandler): Router {
  const router = Router();
  for (const route of routes) {
    const chain: RequestHandler[] = [];
    if (route.access !== 'public') chain.push(authenticate);
    chain.push(async (req, res) => {
      checkAccess(route, req.principal);
      const params = parse(route.params, req.params, 'params');
      const query = parse(route.query, req.query, 'query');
      const body = readBody(route, req);
      const reply = await route.handle({ params, query, body, principal: req.principal, req, res });
      if (reply && !res.headersSent) res.status(reply.status).json(reply.body);
    });
    router[route.method](route.path, ...chain);
  }
  return router;
}

function checkAccess(route: AnyRoute, principal: Principal | undefined): void {
  if (route.access === 'public') return;
  if (!allowed(route.access, principal)) throw new ApiError(403, 'forbidden', 'This key may not do that');
  if (route.couponsAddOn && principal?.kind === 'org' && !principal.features.coupons)
    throw new ApiError(403, 'feature_disabled', 'Coupons are not enabled for this organisation');
}

function allowed(access: Exclude<Access, 'public'>, principal: Principal | undefined): boolean {
  if (access === 'signed_in') return principal !== undefined;
  if (access === 'instance_admin') return principal?.kind === 'instance_admin';
  return principal?.kind === 'org' && access.includes(principal.role);
}

function readBody(route: AnyRoute, req: Request): unknown {
  if (route.csvBody && req.is('text/csv')) return undefined;
  if (!route.body) return undefined;
  if (!req.is('application/json'))
    throw new ApiError(415, 'unsupported_media_type', `Send the body as application/json${route.csvBody ? ' or text/csv' : ''}`);
  return parse(route.body, req.body, 'body');
}

function parse(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value);
  if (!result.success)
    throw new ApiError(422, 'validation_failed', `The request ${where} is not valid`, zodDetails(result.error));
  const nul = pathOfNul(result.data);
  // PostgreSQL stores no NUL character in text: refused alike on every backend, naming where it was.
  if (nul !== undefined) throw new ApiError(422, 'validation_failed', `The request ${where} is not valid`, [{ path: nul, message: 'must not contain NUL characters' }]);
  return result.data;
}

/** The path of the first string holding a NUL character, or undefined. */
function pathOfNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return path ? `${path}.${key}` : key;
    const found = pathOfNul(item, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}
