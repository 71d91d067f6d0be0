import { z } from 'zod';
import { reverseInputSchema, revokeInputSchema } from '@couponflow/coupons';
import type { ServerDeps } from '../deps';
import { unwrap } from '../http/apiError';
import { defineRoute, orgOf } from '../http/defineRoute';
import { couponReaders, couponWriters } from './couponRoutes';
import { couponIdParams, eventSchema, eventsQuery, pageOf, recordSchema, recordsQuery, statsQuery, statsSchema } from './couponSchemas';
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
      handle: async ({ params, query, principal, res }) => {
        const { format, ...filters } = query;
        const orgId = orgOf(principal).orgId;
        if (format === 'json') return { status: 200, body: unwrap(await engine.listRecords(orgId, params.id, filters)) };
        const csv = unwrap(await engine.exportRecordsCsv(orgId, params.id, filters));
        res.status(200).type('text/csv').attachment(`redemptions-${params.id}.csv`);
        csv.pipe(res);
      },
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/coupons/:id/stats',
      operationId: 'couponStats',
      summary: 'The funnel: records that reached each step, the current expired and revoked; ?groupBy=day adds a daily series in the organisation’s time zone',
      access: couponReaders,
      query: statsQuery,
      responses: {
        200: { description: 'The funnel (and the daily series with groupBy=day; from/to are local dates, both included, at most 366 days)', schema: statsSchema },
        404: { description: 'not_found' },
      },
      handle: async ({ params, query, principal }) => ({ status: 200, body: unwrap(await engine.stats(orgOf(principal).orgId, params.id, query)) }),
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/coupons/:id/events',
      operationId: 'listCouponEvents',
      summary: 'The audit trail: every attempt (distribute, open, redeem, verify, revoke, reverse, low_stock) with its outcome; ?format=csv exports it',
      access: couponWriters,
      query: eventsQuery,
      responses: {
        200: { description: 'A page of events, newest first (JSON), or every matching event (CSV, cells escaped against formula injection)', schema: pageOf(eventSchema) },
        404: { description: 'not_found' },
      },
      handle: async ({ params, query, principal, res }) => {
        const { format, ...filters } = query;
        const orgId = orgOf(principal).orgId;
        if (format === 'json') return { status: 200, body: unwrap(await engine.listCouponEvents(orgId, params.id, filters)) };
        const csv = unwrap(await engine.exportEventsCsv(orgId, params.id, filters));
        res.status(200).type('text/csv').attachment(`events-${params.id}.csv`);
        csv.pipe(res);
      },
    }),
    defineRoute({
      ...common,
      method: 'post',
      path: '/coupons/:id/redemptions/:recordId/reverse',
      operationId: 'reverseRedemption',
      summary: 'Reverse a redemption (a returned order): the record goes back to sent or to revoked and the limits count it no more; a unique code is retired',
      access: couponWriters,
      params: z.object({ id: z.string(), recordId: z.string() }),
      body: reverseInputSchema,
      responses: {
        200: { description: 'The record after the reversal', schema: recordSchema },
        404: { description: 'not_found (no such coupon, or no such record of it)' },
        409: { description: 'not_redeemed, or coupon_revoked (a revoked coupon’s records can only go to revoked)' },
      },
      handle: async ({ params, body, principal }) => ({
        status: 200,
        body: unwrap(await engine.reverse(orgOf(principal).orgId, params.id, params.recordId, body)),
      }),
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
      handle: async ({ params, body, principal }) => {
        const orgId = orgOf(principal).orgId;
        const customerIds = body.scope === 'customers' ? body.customerIds : undefined;
        const revoked = await changeWaitingOffers(deps, { orgId, couponId: params.id, ...(customerIds ? { customerIds } : {}) }, (on) => on.revoke(orgId, params.id, body));
        return { status: 200, body: unwrap(revoked) };
      },
    }),
  ];
}
