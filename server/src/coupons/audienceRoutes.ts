import { z } from 'zod';
import { audienceRejectReasons, maxImportBytes } from '@couponflow/coupons';
import type { ServerDeps } from '../deps';
import { ApiError, unwrap } from '../http/apiError';
import { defineRoute, orgOf } from '../http/defineRoute';
import { couponWriters } from './couponRoutes';
import { couponIdParams, uploadReport } from './couponSchemas';

const audienceReport = uploadReport(audienceRejectReasons).meta({ id: 'AudienceReport' });

/** The uploaded customer list of a coupon whose audience is `{type: "list"}`. */
export function audienceRoutes({ engine }: ServerDeps) {
  const common = { tag: 'Coupons', couponsAddOn: true, access: couponWriters, params: couponIdParams } as const;
  return [
    defineRoute({
      ...common,
      method: 'post',
      path: '/coupons/:id/audience',
      operationId: 'uploadAudience',
      summary: 'Add a CSV of customer ids to the coupon’s audience list (others get customer_not_eligible when audience is {type:"list"})',
      csvBody: { description: `One customer id per line, optional header row, at most ${maxImportBytes} bytes` },
      responses: {
        201: { description: 'What was added, with the first 1,000 refused lines', schema: audienceReport },
        404: { description: 'not_found' },
        413: { description: 'The CSV is larger than 10 MB; nothing was written' },
        415: { description: 'The body is not text/csv' },
      },
      handle: async ({ params, principal, req }) => {
        if (!req.is('text/csv')) throw new ApiError(415, 'unsupported_media_type', 'Send the list as text/csv');
        if (Number(req.get('content-length') ?? 0) > maxImportBytes)
          throw new ApiError(413, 'file_too_large', `The file is larger than ${maxImportBytes} bytes; nothing was imported`);
        return { status: 201, body: unwrap(await engine.importAudience(orgOf(principal).orgId, params.id, req)) };
      },
    }),
    defineRoute({
      ...common,
      method: 'delete',
      path: '/coupons/:id/audience',
      operationId: 'clearAudience',
      summary: 'Empty the coupon’s audience list',
      responses: { 200: { description: 'How many customers were removed', schema: z.object({ removed: z.number().int() }) }, 404: { description: 'not_found' } },
      handle: async ({ params, principal }) => ({ status: 200, body: unwrap(await engine.clearAudience(orgOf(principal).orgId, params.id)) }),
    }),
  ];
}
