import { and, eq } from 'drizzle-orm';
import { coupons, type Database } from '@couponflow/db';

export function findCouponExists(db: Database, orgId: string, couponId: string): boolean {
  return db.select({ id: coupons.id }).from(coupons).where(and(eq(coupons.id, couponId), eq(coupons.orgId, orgId))).get() !== undefined;
}
