import { eq } from 'drizzle-orm';
import { parse as parseCookies } from 'cookie';
import type { Request } from 'express';
import { z } from 'zod';
import type { Database } from '@couponflow/db';
import type { FailedLookupLimiter } from '../http/failedLookupLimiter';
import { apiRoles } from '../auth/apiKeys';
import { principalOfApiKey, sameOrigin, type Principal } from '../auth/authenticate';
import { closeSession, openSession, sessionCookie, sessionLifetimeMs } from '../auth/webSessions';
import { ApiError } from '../http/apiError';
import { lookupClients } from '../http/failedLookupLimiter';
import { defineRoute } from '../http/defineRoute';

const sessionSchema = z
  .object({
    role: z.enum([...apiRoles, 'instance_admin']),
    org: z.object({ id: z.string(), name: z.string() }).nullable(),
    features: z.object({ coupons: z.boolean() }).nullable(),
  })
  .meta({ id: 'Session' });

/** The web app signs in with an API key once and then rides on an httpOnly cookie (SPEC §5). */
export function sessionRoutes(db: Database, adminKeyHash: string, limiter: FailedLookupLimiter) {
  const common = { tag: 'Session' } as const;
  return [
    defineRoute({
      ...common,
      method: 'post',
      path: '/session',
      operationId: 'signIn',
      summary: 'Sign the web app in with an API key; answers an httpOnly SameSite=Strict session cookie',
      access: 'public',
      body: z.object({ apiKey: z.string().min(1).max(200) }),
      responses: {
        204: { description: 'Signed in; the cookie is set' },
        401: { description: 'unauthorized' },
        403: { description: 'csrf_refused' },
        429: { description: 'Too many wrong keys from this address (RATE_LIMIT_FAILED_PER_MINUTE)' },
      },
      handle: async ({ body, req, res }) => {
        // Login CSRF: another site must not sign a visitor's browser into its own account.
        if (req.get('origin') !== undefined && !sameOrigin(req)) throw new ApiError(403, 'csrf_refused', 'Sign in from this site');
        await limiter.guard(lookupClients(req));
        const principal = await principalOfApiKey(db, adminKeyHash, body.apiKey.trim());
        if (!principal) {
          await limiter.failed(lookupClients(req));
          throw new ApiError(401, 'unauthorized', 'The API key is not valid');
        }
        res.cookie(sessionCookie, await openSession(db, principal), {
          httpOnly: true,
          sameSite: 'strict',
          secure: isHttps(req),
          path: '/',
          maxAge: sessionLifetimeMs,
        });
        res.status(204).end();
      },
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/session',
      operationId: 'getSession',
      summary: 'Who is signed in: role, organisation and add-ons',
      access: 'signed_in',
      responses: { 200: { description: 'The signed-in principal', schema: sessionSchema }, 401: { description: 'unauthorized' } },
      handle: async ({ principal }) => ({ status: 200, body: await describe(db, principal!) }),
    }),
    defineRoute({
      ...common,
      method: 'delete',
      path: '/session',
      operationId: 'signOut',
      summary: 'Sign out: ends the session and clears the cookie',
      access: 'public',
      responses: { 204: { description: 'Signed out' } },
      handle: async ({ req, res }) => {
        const id = parseCookies(req.get('cookie') ?? '')[sessionCookie];
        if (id) await closeSession(db, id);
        res.clearCookie(sessionCookie, { httpOnly: true, sameSite: 'strict', secure: isHttps(req), path: '/' });
        res.status(204).end();
      },
    }),
  ];
}

async function describe(db: Database, principal: Principal): Promise<z.infer<typeof sessionSchema>> {
  if (principal.kind === 'instance_admin') return { role: 'instance_admin', org: null, features: null };
  const { organisations } = db.tables;
  const [org] = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.id, principal.orgId)).limit(1);
  return { role: principal.role, org: org ?? null, features: principal.features };
}

/** Secure cookies where the browser reached us over https (directly or through a proxy). */
function isHttps(req: Request): boolean {
  return req.secure || req.get('x-forwarded-proto') === 'https';
}
