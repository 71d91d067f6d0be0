import { eq } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';
import type { CouponRow } from './couponView';
import { recordEvent } from './recordEvent';

type StockFields = Pick<CouponRow, 'codeType' | 'poolSize' | 'redeemedCount' | 'retiredCodes' | 'totalLimit' | 'lowStockThreshold'>;

/** Below this share of its capacity a coupon is low on stock unless the admin set a threshold. */
export const defaultLowStockShare = 0.1;

/**
 * What is left to hand out: free pool codes and/or redemptions under `totalLimit` (the smaller
 * bounds), and whether that is below the threshold. Unbounded coupons are never low.
 */
export function stockOf(coupon: StockFields): { left: number | null; low: boolean } {
  // The tightest bound; on a tie the pool's. Worked out without arrays: redeem asks on every call.
  let left: number | null = null;
  let capacity = 0;
  if (coupon.codeType === 'unique') {
    left = coupon.poolSize - coupon.redeemedCount - coupon.retiredCodes;
    capacity = coupon.poolSize - coupon.retiredCodes;
  }
  if (coupon.totalLimit !== null && (left === null || coupon.totalLimit - coupon.redeemedCount < left)) {
    left = coupon.totalLimit - coupon.redeemedCount;
    capacity = coupon.totalLimit;
  }
  if (left === null) return { left: null, low: false };
  left = Math.max(0, left);
  const threshold = coupon.lowStockThreshold ?? Math.ceil(capacity * defaultLowStockShare);
  return { left, low: left < threshold };
}

/**
 * Called wherever the stock moves (redeem, reversal, pool added, limits changed): writes one
 * `low_stock` event when the stock falls below the threshold, and re-arms once it recovers.
 */
export async function noteStock(db: Database, coupon: StockFields & Pick<CouponRow, 'id' | 'orgId' | 'lowStockAt'>, now: Date): Promise<void> {
  const { low, left } = stockOf(coupon);
  if (low === (coupon.lowStockAt !== null)) return;
  await prepared(db, 'setLowStockAt', (d, t) => d.update(t.coupons).set({ lowStockAt: bind('at') }).where(eq(t.coupons.id, bind('id')))).run({
    at: low ? now : null,
    id: coupon.id,
  });
  if (low) await recordEvent(db, { orgId: coupon.orgId, action: 'low_stock', outcome: 'ok', at: now, couponId: coupon.id, detail: `${left} left` });
}
