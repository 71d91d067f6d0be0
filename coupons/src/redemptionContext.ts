import { eq, getTableColumns } from 'drizzle-orm';
import { bind, prepared, type Database, type Tables } from '@couponflow/db';
import { movingCouponColumns, withSettings, type MovingCoupon } from './cachedCoupon';
import { customerCountColumns, type CustomerCounts } from './couponRules';
import type { CouponRow } from './couponView';
import type { RecordRow } from './recordView';

export interface RedemptionContext {
  record: RecordRow;
  coupon: CouponRow;
  counts: CustomerCounts;
}

type Row = Record<string, unknown>;

/**
 * The record a token names, its coupon's moving columns and the customer's redemptions of it (for
 * the per-customer limit) in one statement: what a redemption decides on (the coupon's settings
 * come from withSettings). The record's columns come prefixed (`record_`) beside the coupon's, and
 * are taken apart here.
 */
export async function redemptionContext(db: Database, token: string): Promise<RedemptionContext | undefined> {
  const row = (await prepared(db, 'redemptionContext', (d, t) => {
    const { redemptionRecords: r, coupons: c } = t;
    const recordColumns: Row = getTableColumns(r);
    return d
      .select({
        ...(Object.fromEntries(keysOf(t).record.map((key) => [`record_${key}`, recordColumns[key]])) as Record<string, typeof r.id>),
        ...movingCouponColumns(c),
        customerRedeemed: customerCountColumns(t, r.customerId).customerRedeemed,
      })
      .from(r)
      .innerJoin(c, eq(c.id, r.couponId))
      .where(eq(r.token, bind('token')));
  }).get({ token })) as Row | undefined;
  if (!row) return undefined;
  const keys = keysOf(db.tables);
  const record: Row = {};
  for (const key of keys.record) record[key] = row[`record_${key}`];
  const moving: Row = {};
  for (const key of keys.coupon) moving[key] = row[key];
  const coupon = await withSettings(db, record.couponId as string, moving as MovingCoupon);
  return { record: record as RecordRow, coupon, counts: { customerRedeemed: row.customerRedeemed as number | null } };
}

const keyCache = new WeakMap<Tables, { record: string[]; coupon: string[] }>();

function keysOf(tables: Tables): { record: string[]; coupon: string[] } {
  let keys = keyCache.get(tables);
  if (!keys) keyCache.set(tables, (keys = { record: Object.keys(getTableColumns(tables.redemptionRecords)), coupon: Object.keys(movingCouponColumns(tables.coupons)) }));
  return keys;
}
