import { and, eq } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';
import { couponColumns } from './couponColumns';
import type { CouponRow } from './couponView';

/** Every lookup is scoped to the organisation: another org's id is simply not found. */
export function findCoupon(db: Database, orgId: string, couponId: string): Promise<CouponRow | undefined> {
  return prepared(db, 'findCoupon', (d, t) => d.select().from(t.coupons).where(and(eq(t.coupons.id, bind('couponId')), eq(t.coupons.orgId, bind('orgId'))))).get({
    couponId,
    orgId,
  });
}

/**
 * For a record already found by its unguessable token, whose org is the coupon's (the redeem page's
 * read): its JSON settings decoded once per distinct text and shared, as distribute and redeem read them.
 */
export async function couponOfRecord(db: Database, couponId: string): Promise<CouponRow> {
  return (await prepared(db, 'couponOfRecord', (d, t) => d.select(couponColumns(t.coupons)).from(t.coupons).where(eq(t.coupons.id, bind('couponId')))).get({ couponId }))!;
}
