import { and, eq } from 'drizzle-orm';
import { bind, coupons, prepared, type Database } from '@couponflow/db';
import type { CouponRow } from './couponView';

/** Every lookup is scoped to the organisation: another org's id is simply not found. */
export function findCoupon(db: Database, orgId: string, couponId: string): CouponRow | undefined {
  return prepared(db, 'findCoupon', (d) =>
    d.select().from(coupons).where(and(eq(coupons.id, bind('couponId')), eq(coupons.orgId, bind('orgId')))).prepare(),
  ).get({ couponId, orgId });
}

/** For a record already found by its unguessable token, whose org is the coupon's. */
export function couponOfRecord(db: Database, couponId: string): CouponRow {
  return prepared(db, 'couponOfRecord', (d) => d.select().from(coupons).where(eq(coupons.id, bind('couponId'))).prepare()).get({ couponId })!;
}
