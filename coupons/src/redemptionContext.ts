import { eq, getTableColumns } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';
import { countersNow, movingCouponColumns, withSettings } from './cachedCoupon';
import { customerRedeemedColumn, type CustomerCounts } from './couponRules';
import type { CouponRow } from './couponView';
import type { RecordRow } from './recordView';

export interface RedemptionContext {
  record: RecordRow;
  coupon: CouponRow;
  counts: CustomerCounts;
}

/**
 * The record a token names, its coupon's moving columns and the customer's redemptions of it (for
 * the per-customer limit) in one statement: what a redemption decides on (the coupon's settings
 * come from withSettings).
 */
export async function redemptionContext(db: Database, token: string): Promise<RedemptionContext | undefined> {
  const row = await prepared(db, 'redemptionContext', (d, t) => {
    const { redemptionRecords: r, coupons: c } = t;
    return d
      .select({ record: getTableColumns(r), coupon: movingCouponColumns(c), customerRedeemed: customerRedeemedColumn(t, r.customerId) })
      .from(r)
      .innerJoin(c, eq(c.id, r.couponId))
      .where(eq(r.token, bind('token')));
  }, { addsPendingIncrements: true }).get({ token });
  if (!row) return undefined;
  const coupon = await withSettings(db, row.record.couponId, countersNow(db, row.record.couponId, row.coupon));
  return { record: row.record, coupon, counts: { customerRedeemed: row.customerRedeemed } };
}
