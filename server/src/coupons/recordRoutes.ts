import { z } from 'zod';
import { revokeInputSchema } from '@couponflow/coupons';
import type { ServerDeps } from '../deps';
import { unwrap } from '../http/apiError';
import { defineRoute, orgOf } from '../http/defineRoute';
import { couponReaders, couponWriters } from './couponRoutes';
import { couponIdParams, pageOf, recordSchema, recordsQuery, statsSchema } from './couponSchemas';
import { changeWaitingOffers } from './offerChanges';

export function recordRoutes(deps: ServerDeps) {
  const { engine } = deps;
  const common = { tag: 'Redemptions', couponsAddOn: true, params: couponIdParams } as const;
  return [
    defineRoute({
      ...common,
      method: 'get',
      path: '/coupons/:id/redemptions',
      operationId: 'listRedemptions',
      summary: 'Redemption records, filtered; ?format=csv exports them all',
      access: couponWriters,
      query: recordsQuery,
      responses: {
        200: { description: 'A page of records (JSON) or every matching record (CSV)', schema: pageOf(recordSchema) },
        404: { description: 'not_found' },
      },
      handle: ({ params, query, principal, res }) => {
        const { format, ...filters } = query;
        const orgId = orgOf(principal).orgId;
        if (format === 'json') return { status: 200, body: unwrap(engine.listRecords(orgId, params.id, filters)) };
        const csv = unwrap(engine.exportRecordsCsv(orgId, params.id, filters));
        res.status(200).type('text/csv').attachment(`redemptions-${params.id}.csv`);
        csv.pipe(res);
      },
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/coupons/:id/stats',
      operationId: 'couponStats',
      summary: 'How many records are in each status',
      access: couponReaders,
      responses: { 200: { description: 'Counts per status', schema: statsSchema }, 404: { description: 'not_found' } },
      handle: ({ params, principal }) => ({ status: 200, body: unwrap(engine.stats(orgOf(principal).orgId, params.id)) }),
    }),
    defineRoute({
      ...common,
      method: 'post',
      path: '/coupons/:id/revoke',
      operationId: 'revokeCoupon',
      summary: 'Revoke the coupon, every unredeemed offer, or listed customers’ offers; flow runs waiting on a revoked offer resume by coupon_expired at once',
      access: couponWriters,
      body: revokeInputSchema,
      responses: { 200: { description: 'How many records were revoked', schema: z.object({ revoked: z.number().int() }) }, 404: { description: 'not_found' } },
      handle: ({ params, body, principal }) => {
        const orgId = orgOf(principal).orgId;
        const customerIds = body.scope === 'customers' ? body.customerIds : undefined;
        const revoked = changeWaitingOffers(deps, { orgId, couponId: params.id, ...(customerIds ? { customerIds } : {}) }, () => engine.revoke(orgId, params.id, body));
        return { status: 200, body: unwrap(revoked) };
      },
    }),
  ];
}
