import { z } from 'zod';
import { couponInputSchema, couponPatchSchema } from '@couponflow/coupons';
import type { ServerDeps } from '../deps';
import { unwrap } from '../http/apiError';
import { defineRoute, orgOf } from '../http/defineRoute';
import { couponIdParams, couponSchema, pageOf } from './couponSchemas';
import { changeWaitingOffers } from './offerChanges';

export const couponReaders = ['owner', 'admin', 'designer'] as const;
export const couponWriters = ['owner', 'admin'] as const;

export function couponRoutes(deps: ServerDeps) {
  const { engine } = deps;
  const common = { tag: 'Coupons', couponsAddOn: true } as const;
  return [
    defineRoute({
      ...common,
      method: 'post',
      path: '/coupons',
      operationId: 'createCoupon',
      summary: 'Create a coupon campaign',
      access: couponWriters,
      body: couponInputSchema,
      responses: { 201: { description: 'The coupon', schema: couponSchema }, 409: { description: 'code_taken or external_id_taken' } },
      handle: async ({ body, principal }) => ({ status: 201, body: unwrap(await engine.createCoupon(orgOf(principal).orgId, body)) }),
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/coupons',
      operationId: 'listCoupons',
      summary: 'List coupons, newest first, each with its funnel counts',
      access: couponReaders,
      query: z.object({
        cursor: z.string().optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        externalId: z.string().min(1).max(100).optional().meta({ description: 'only the coupon with this id of the merchant’s own system' }),
      }),
      responses: { 200: { description: 'A page of coupons', schema: pageOf(couponSchema) } },
      handle: async ({ query, principal }) => ({ status: 200, body: await engine.listCoupons(orgOf(principal).orgId, query) }),
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/coupons/:id',
      operationId: 'getCoupon',
      summary: 'Get a coupon',
      access: couponReaders,
      params: couponIdParams,
      responses: { 200: { description: 'The coupon', schema: couponSchema }, 404: { description: 'not_found' } },
      handle: async ({ params, principal }) => ({ status: 200, body: unwrap(await engine.getCoupon(orgOf(principal).orgId, params.id)) }),
    }),
    defineRoute({
      ...common,
      method: 'patch',
      path: '/coupons/:id',
      operationId: 'updateCoupon',
      summary: 'Change a coupon (endsAt may be extended, never shortened); switching it off resumes the flow runs waiting on its offers by coupon_expired',
      access: couponWriters,
      params: couponIdParams,
      body: couponPatchSchema,
      responses: {
        200: { description: 'The coupon', schema: couponSchema },
        404: { description: 'not_found' },
        409: { description: 'coupon_revoked or external_id_taken' },
      },
      handle: async ({ params, body, principal }) => {
        const orgId = orgOf(principal).orgId;
        const update = (on: typeof engine) => on.updateCoupon(orgId, params.id, body);
        // Switching the coupon off ends the offers customers wait on; other changes leave them be
        // (a later endsAt moves each waiting run's expiry check when it comes due).
        const updated = body.active === false ? await changeWaitingOffers(deps, { orgId, couponId: params.id }, update) : await update(engine);
        return { status: 200, body: unwrap(updated) };
      },
    }),
  ];
}
