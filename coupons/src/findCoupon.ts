import { and, eq } from 'drizzle-orm';
import { coupons, type Database } from '@couponflow/db';
import type { CouponRow } from './couponView';

/** Every lookup is scoped to the organisation: another org's id is simply not found. */
export function findCoupon(db: Database, orgId: string, couponId: string): CouponRow | undefined {
  return db
    .select()
    .from(coupons)
    .where(and(eq(coupons.id, couponId), eq(coupons.orgId, orgId)))
    .get();
}
