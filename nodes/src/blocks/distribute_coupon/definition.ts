import { defineBlock } from '../defineBlock';
import { distributeCouponConfigSchema } from './schema';

export const distributeCouponBlock = defineBlock({
  type: 'distribute_coupon',
  label: 'Distribute Coupon',
  description: 'Offers a coupon and continues by how the redemption turned out.',
  schema: distributeCouponConfigSchema,
  // SPEC §3.3: every refusal reason maps onto one of these; an unwired outcome ends the run.
  ports: [
    { id: 'redeemed', label: 'Redeemed' },
    { id: 'coupon_expired', label: 'Coupon Expired' },
    { id: 'customer_max_uses_reached', label: 'Customer Max Uses Reached' },
    { id: 'coupon_max_uses_reached', label: 'Coupon Max Uses Reached' },
    { id: 'error', label: 'Error' },
  ],
  defaults: { couponId: '', message: '', buttonTitle: 'Get coupon' },
});
