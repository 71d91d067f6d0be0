import { and, eq, getTableColumns } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';
import { couponColumns } from './couponColumns';
import type { CouponRow } from './couponView';
import type { RecordRow } from './recordView';

/** Every lookup is scoped to the organisation: another org's id is simply not found. */
export function findCoupon(db: Database, orgId: string, couponId: string): Promise<CouponRow | undefined> {
  return prepared(db, 'findCoupon', (d, t) => d.select().from(t.coupons).where(and(eq(t.coupons.id, bind('couponId')), eq(t.coupons.orgId, bind('orgId'))))).get({
    couponId,
    orgId,
  });
}

/**
 * The record a redeem link names with its coupon, in one statement (the page's read; the coupon's
 * JSON settings decoded once per distinct text and shared, see couponColumns).
 */
export async function recordAndCouponByToken(db: Database, token: string): Promise<{ record: RecordRow; coupon: CouponRow } | undefined> {
  return prepared(db, 'recordAndCouponByToken', (d, { redemptionRecords: r, coupons: c }) =>
    d
      .select({ record: getTableColumns(r), coupon: couponColumns(c) })
      .from(r)
      .innerJoin(c, eq(c.id, r.couponId))
      .where(eq(r.token, bind('token'))),
  ).get({ token });
}
