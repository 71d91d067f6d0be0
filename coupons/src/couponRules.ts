import { and, count, eq, isNotNull } from 'drizzle-orm';
import { bind, prepared, redemptionRecords, type Database } from '@couponflow/db';
import type { CouponRow } from './couponView';
import type { RuleReason } from './result';

/**
 * SPEC §2.4: the first rule that refuses, in the spec's order, or null. Called inside the write
 * transaction by distribute and redeem so the counts cannot move between check and write.
 */
export function ruleRefusal(db: Database, coupon: CouponRow, customerId: string, now: Date): RuleReason | null {
  const t = now.getTime();
  if (coupon.revokedAt) return 'coupon_revoked';
  if (!coupon.active) return 'coupon_inactive';
  if (t < coupon.startsAt.getTime()) return 'coupon_not_started';
  if (coupon.endsAt && t >= coupon.endsAt.getTime()) return 'coupon_expired';
  if (coupon.perCustomerLimit !== null && customerRedemptions(db, coupon.id, customerId) >= coupon.perCustomerLimit)
    return 'customer_max_uses_reached';
  if (coupon.totalLimit !== null && coupon.redeemedCount >= coupon.totalLimit) return 'coupon_max_uses_reached';
  // Codes are never handed back, so a unique pool has poolSize − redeemedCount codes left.
  if (coupon.codeType === 'unique' && coupon.poolSize <= coupon.redeemedCount) return 'coupon_max_uses_reached';
  return null;
}

/** A redemption for the limits is any record that reached `redeemed`, whatever came after. */
export function customerRedemptions(db: Database, couponId: string, customerId: string): number {
  const row = prepared(db, 'customerRedemptions', (d) =>
    d
      .select({ n: count() })
      .from(redemptionRecords)
      .where(and(eq(redemptionRecords.couponId, bind('couponId')), eq(redemptionRecords.customerId, bind('customerId')), isNotNull(redemptionRecords.redeemedAt)))
      .prepare(),
  ).get({ couponId, customerId });
  return row?.n ?? 0;
}

export const ruleMessages: Record<RuleReason, string> = {
  coupon_revoked: 'The coupon was revoked',
  coupon_inactive: 'The coupon is not active',
  coupon_not_started: 'The coupon period has not started yet',
  coupon_expired: 'The coupon period has ended',
  customer_max_uses_reached: 'The customer has reached their redemption limit',
  coupon_max_uses_reached: 'The coupon has no redemptions left',
};
