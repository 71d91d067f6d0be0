import { and, desc, eq, lt } from 'drizzle-orm';
import { coupons } from '@couponflow/db';
import { couponView, type CouponView } from './couponView';
import type { EngineContext } from './context';
import { findCoupon } from './findCoupon';
import { ok, refuse, type Result } from './result';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function getCoupon(ctx: EngineContext, orgId: string, couponId: string): Result<CouponView> {
  const row = findCoupon(ctx.db, orgId, couponId);
  return row ? ok(couponView(row)) : refuse('coupon_not_found', 'No such coupon');
}

/** Newest first; the cursor is the last id of the page (ids sort by creation time). */
export function listCoupons(ctx: EngineContext, orgId: string, { cursor, limit = 50 }: { cursor?: string; limit?: number } = {}): Page<CouponView> {
  const rows = ctx.db
    .select()
    .from(coupons)
    .where(and(eq(coupons.orgId, orgId), cursor ? lt(coupons.id, cursor) : undefined))
    .orderBy(desc(coupons.id))
    .limit(limit + 1)
    .all();
  const items = rows.slice(0, limit).map(couponView);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
