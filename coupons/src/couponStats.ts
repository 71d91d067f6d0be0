import { count, eq } from 'drizzle-orm';
import { recordStatuses, redemptionRecords, type RecordStatus } from '@couponflow/db';
import type { EngineContext } from './context';
import { expireDue } from './expireDue';
import { findCoupon } from './findCoupon';
import { ok, refuse, type Result } from './result';

export type CouponStats = Record<RecordStatus, number>;

/** How many records are in each status right now (expiry applied first). */
export function couponStats(ctx: EngineContext, orgId: string, couponId: string): Result<CouponStats> {
  if (!findCoupon(ctx.db, orgId, couponId)) return refuse('coupon_not_found', 'No such coupon');
  expireDue(ctx, { couponId });
  const stats = Object.fromEntries(recordStatuses.map((s) => [s, 0])) as CouponStats;
  const rows = ctx.db
    .select({ status: redemptionRecords.status, n: count() })
    .from(redemptionRecords)
    .where(eq(redemptionRecords.couponId, couponId))
    .groupBy(redemptionRecords.status)
    .all();
  for (const row of rows) stats[row.status] = row.n;
  return ok(stats);
}
