import { z } from 'zod';
import { redeemPageSchema } from '@couponflow/coupons';
import { defineRoute } from '../http/defineRoute';
import { redeemPageCsp, renderPreview } from '../redeemPage';

const previewStates = ['ready', 'redeemed', 'verified', 'expired', 'not_started', 'not_yet_redeemable', 'revoked', 'unavailable', 'limit_reached'] as const;

/** The admin designer's live phone preview: an unsaved page configuration rendered by the same code. */
export function redeemPreviewRoute() {
  return defineRoute({
    method: 'post',
    path: '/redeem-page/preview',
    operationId: 'previewRedeemPage',
    summary: 'Render the redeem page for an unsaved configuration',
    tag: 'Coupons',
    couponsAddOn: true,
    access: ['owner', 'admin', 'designer'],
    body: z.object({
      redeemPage: redeemPageSchema,
      state: z.enum(previewStates).default('ready'),
    }),
    responses: { 200: { description: 'The page as HTML', schema: z.string(), contentType: 'text/html' } },
    handle: ({ body, res }) => {
      res
        .status(200)
        .type('html')
        .set({ 'Cache-Control': 'no-store', 'Content-Security-Policy': redeemPageCsp({ framedBySelf: true }) })
        .send(renderPreview(body.redeemPage, body.state));
    },
  });
}
