import { z } from 'zod';
import type { ServerDeps } from '../deps';
import { refusalError } from '../http/apiError';
import { defineRoute, orgOf } from '../http/defineRoute';
import { lookupClients } from '../http/failedLookupLimiter';
import { recordSchema } from './couponSchemas';

export const verifyBodySchema = z.union([
  z.object({ code: z.string().trim().min(1).max(64) }).strict(),
  z.object({ redemptionId: z.string().trim().min(1).max(64) }).strict(),
]);

export function verifyRoute({ engine, limiter }: ServerDeps) {
  return defineRoute({
    method: 'post',
    path: '/verify',
    operationId: 'verifyRedemption',
    summary: 'Staff mark a shown code (or a redemption id) used at the point of sale',
    tag: 'Redemptions',
    couponsAddOn: true,
    access: ['owner', 'admin', 'staff'],
    body: verifyBodySchema,
    responses: {
      200: {
        description: 'The record, now verified, with its coupon’s name (never the customer’s redeem token)',
        schema: recordSchema.omit({ token: true }).extend({ coupon: z.object({ id: z.string(), name: z.string() }) }),
      },
      404: { description: 'not_found' },
      409: { description: 'not_redeemed, already_verified, expired, revoked or code_not_unique' },
      429: { description: 'Too many unknown codes from this address' },
    },
    handle: async ({ body, principal, req }) => {
      const orgId = orgOf(principal).orgId;
      await limiter.guard(lookupClients(req));
      const result = await engine.verify(orgId, body);
      if (result.ok) {
        // The name only: the full coupon answer would count the campaign's funnel on every verify. The
        // engine's answer leaves out the token: it would open the customer's page.
        const coupon = await engine.couponSummary(orgId, result.value.couponId);
        return { status: 200, body: { ...result.value, coupon: { id: result.value.couponId, name: coupon.ok ? coupon.value.name : '' } } };
      }
      if (result.reason === 'not_found') await limiter.failed(lookupClients(req));
      throw refusalError(result);
    },
  });
}
