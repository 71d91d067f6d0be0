import type { CouponRow } from './couponView';
import type { UsageExpiry } from './couponSchema';

const dayMs = 24 * 60 * 60 * 1000;

/**
 * When a record stops being usable (SPEC §2.1 usageExpiry), always capped by the coupon's end.
 * Before redemption a `days_after_redeemed` record lives until the period ends.
 */
export function offerExpiry(coupon: Pick<CouponRow, 'endsAt' | 'usageExpiry'>, sentAt: Date, redeemedAt: Date | null): Date | null {
  const end = coupon.endsAt?.getTime() ?? Infinity;
  const expiry = coupon.usageExpiry as UsageExpiry;
  let at = end;
  if (expiry.type === 'days_after_sent') at = Math.min(end, sentAt.getTime() + expiry.days * dayMs);
  if (expiry.type === 'days_after_redeemed' && redeemedAt) at = Math.min(end, redeemedAt.getTime() + expiry.days * dayMs);
  return at === Infinity ? null : new Date(at);
}
