import { z } from 'zod';
import { redeemUrl, type ServerDeps } from '../deps';
import { getInbox } from '@couponflow/flow-runtime';
import { ApiError, unwrap } from '../http/apiError';
import { defineRoute, orgOf } from '../http/defineRoute';
import { couponWriters } from './couponRoutes';
import { couponIdParams } from './couponSchemas';

const distribution = z
  .object({ id: z.string(), status: z.enum(['sent', 'opened']), token: z.string(), redeemUrl: z.string() })
  .meta({ id: 'Distribution' });

export function distributionRoutes(deps: ServerDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/coupons/:id/distributions',
      operationId: 'distributeCoupon',
      summary: 'Offer the coupon to a customer (outside a flow)',
      tag: 'Coupons',
      couponsAddOn: true,
      access: couponWriters,
      params: couponIdParams,
      body: z.object({
        customerId: z.string().trim().min(1).max(200),
        inboxId: z.string().trim().min(1).max(100),
        idempotencyKey: z.string().min(1).max(200).optional(),
      }),
      responses: {
        201: { description: 'A new record was made', schema: distribution },
        200: { description: 'The existing record (repeated key, or the customer’s open offer)', schema: distribution },
        404: { description: 'not_found (coupon or inbox)' },
        409: {
          description:
            'The reason the rules refused, the first in this order: coupon_revoked, coupon_inactive, coupon_not_started, coupon_expired, customer_not_eligible, customer_max_uses_reached, coupon_max_uses_reached, customer_max_issued_reached, coupon_max_issued_reached',
        },
      },
      handle: async ({ params, body, principal }) => {
        const orgId = orgOf(principal).orgId;
        const inbox = await getInbox(deps.db, deps.cipher, orgId, body.inboxId);
        if (!inbox) throw new ApiError(404, 'not_found', 'No such inbox', [{ path: 'inboxId', message: 'not an inbox of this organisation' }]);
        const { record, created } = unwrap(await deps.engine.distribute(orgId, { couponId: params.id, ...body, channel: inbox.channel }));
        return {
          status: created ? 201 : 200,
          body: { id: record.id, status: record.status, token: record.token, redeemUrl: redeemUrl(deps, record.token) },
        };
      },
    }),
  ];
}
