import { z } from 'zod';
import { maxImportBytes, maxPoolSize, rejectReasons } from '@couponflow/coupons';
import type { ServerDeps } from '../deps';
import { ApiError, unwrap } from '../http/apiError';
import { defineRoute, orgOf } from '../http/defineRoute';
import { couponWriters } from './couponRoutes';
import { couponIdParams, uploadReport } from './couponSchemas';

const poolReport = uploadReport(rejectReasons).meta({ id: 'PoolReport' });

export function poolRoutes({ engine }: ServerDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/coupons/:id/codes',
      operationId: 'addCodes',
      summary: 'Generate codes into a unique coupon’s pool, or import a CSV of codes',
      tag: 'Coupons',
      couponsAddOn: true,
      access: couponWriters,
      params: couponIdParams,
      body: z.object({ generate: z.number().int().min(1).max(maxPoolSize) }),
      csvBody: { description: `One code per line, optional header row, at most ${maxImportBytes} bytes` },
      responses: {
        201: { description: 'What was added', schema: poolReport },
        409: { description: 'not_unique_coupon, code_space_exhausted, pool_limit_exceeded, or pool_busy (another batch is being written to this pool)' },
        413: { description: 'The CSV is larger than 10 MB; nothing was written' },
      },
      handle: async ({ params, body, principal, req }) => {
        const orgId = orgOf(principal).orgId;
        if (body) {
          const change = unwrap(await engine.generateCodes(orgId, params.id, body.generate));
          const none = Object.fromEntries(rejectReasons.map((r) => [r, 0]));
          return { status: 201, body: { ...change, rejected: [], rejectedCount: 0, rejectedByReason: none } };
        }
        if (Number(req.get('content-length') ?? 0) > maxImportBytes)
          throw new ApiError(413, 'file_too_large', `The file is larger than ${maxImportBytes} bytes; nothing was imported`);
        return { status: 201, body: unwrap(await engine.importCodes(orgId, params.id, req)) };
      },
    }),
  ];
}
