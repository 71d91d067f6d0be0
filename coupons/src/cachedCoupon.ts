import { eq } from 'drizzle-orm';
import { bind, pendingIncrements, perDatabase, prepared, type Database, type Tables } from '@couponflow/db';
import { couponColumns } from './couponColumns';
import type { CouponRow } from './couponView';

/**
 * The coupon's columns that move while its settings stay: counters, marks, and `updatedAt`, the
 * settings' version (every change of a setting moves it forward: see nextUpdatedAt).
 */
export function movingCouponColumns(c: Tables['coupons']) {
  return {
    updatedAt: c.updatedAt,
    revokedAt: c.revokedAt,
    lowStockAt: c.lowStockAt,
    redeemedCount: c.redeemedCount,
    issuedCount: c.issuedCount,
    poolSize: c.poolSize,
    retiredCodes: c.retiredCodes,
    lastTakenCodeId: c.lastTakenCodeId,
  };
}

export type MovingCoupon = Pick<CouponRow, keyof ReturnType<typeof movingCouponColumns>>;

/**
 * The counters as they stand in this transaction: the row's, read by a statement prepared with
 * `addsPendingIncrements`, plus the increments this connection leaves for the commit (SQLite's
 * group commit writes a batch's increments once). Call it right after that read, before any other
 * statement: one naming the coupons writes the pending increments into the row first.
 */
export function countersNow<M extends Pick<MovingCoupon, 'issuedCount' | 'redeemedCount' | 'lastTakenCodeId'>>(db: Database, couponId: string, moving: M): M {
  const pending = pendingIncrements(db, 'coupons', couponId);
  if (!pending) return moving;
  moving.issuedCount += pending.get('issuedCount') ?? 0;
  moving.redeemedCount += pending.get('redeemedCount') ?? 0;
  moving.lastTakenCodeId += pending.get('lastTakenCodeId') ?? 0;
  return moving;
}

// Campaigns a process works on at once are few; past this many the cache starts again.
const maxCached = 1000;

interface Cached {
  version: number;
  row: Readonly<CouponRow>;
}

/**
 * The whole coupon, from its moving columns (read by the caller's statement, in its transaction)
 * and its settings as of that version, kept per database. Distribute and redeem read a few
 * integers per call instead of some thirty columns, JSON among them; a version not seen yet
 * (a setting changed, here or in another process) reads the row whole, in the same transaction.
 */
export async function withSettings(db: Database, couponId: string, moving: MovingCoupon): Promise<CouponRow> {
  const cache = perDatabase(db, 'couponSettings', () => new Map<string, Cached>());
  const version = moving.updatedAt.getTime();
  let cached = cache.get(couponId);
  if (cached?.version !== version) {
    const row = await prepared(db, 'couponSettings', (d, t) =>
      d
        .select(couponColumns(t.coupons))
        .from(t.coupons)
        .where(eq(t.coupons.id, bind('couponId'))),
    ).get({ couponId });
    if (!row) throw new Error(`coupon ${couponId} vanished inside its own transaction`);
    if (cache.size >= maxCached) cache.clear();
    cache.set(couponId, (cached = { version: row.updatedAt.getTime(), row: Object.freeze(row) }));
  }
  return withMoving(cached.row, moving);
}

/**
 * A fresh row: the settings with the moving columns read now. Written out field by field (typed
 * as the whole row, so a new column cannot be left out): spreading the frozen row took ~0.8 µs a
 * call (V8 copies a frozen object's properties one by one), this literal ~0.03 µs.
 */
function withMoving(s: Readonly<CouponRow>, m: MovingCoupon): CouponRow {
  return {
    id: s.id,
    orgId: s.orgId,
    name: s.name,
    codeType: s.codeType,
    codeValue: s.codeValue,
    codeLength: s.codeLength,
    codeCharset: s.codeCharset,
    codePrefix: s.codePrefix,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    totalLimit: s.totalLimit,
    perCustomerLimit: s.perCustomerLimit,
    active: s.active,
    revokedAt: m.revokedAt,
    usageExpiry: s.usageExpiry,
    redeemPage: s.redeemPage,
    contactTags: s.contactTags,
    externalId: s.externalId,
    discount: s.discount,
    redemptionWindow: s.redemptionWindow,
    minHoursBetweenRedemptions: s.minHoursBetweenRedemptions,
    redeemableAfterDays: s.redeemableAfterDays,
    audience: s.audience,
    maxIssuedTotal: s.maxIssuedTotal,
    maxIssuedPerCustomer: s.maxIssuedPerCustomer,
    lowStockThreshold: s.lowStockThreshold,
    lowStockAt: m.lowStockAt,
    redeemedCount: m.redeemedCount,
    issuedCount: m.issuedCount,
    poolSize: m.poolSize,
    retiredCodes: m.retiredCodes,
    lastTakenCodeId: m.lastTakenCodeId,
    createdAt: s.createdAt,
    updatedAt: m.updatedAt,
  };
}

/**
 * A coupon's next `updatedAt`: now, or a millisecond past the last one if the clock has not moved
 * on (or stands behind another host's), so that each version names one state of the settings.
 * Called under the coupon's lock, with the row read under it.
 */
export const nextUpdatedAt = (previous: Date, now: Date): Date => new Date(Math.max(now.getTime(), previous.getTime() + 1));
