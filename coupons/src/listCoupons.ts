import { and, desc, eq, lt } from 'drizzle-orm';
import { coupons } from '@couponflow/db';
import { couponAnswer, couponAnswers, type CouponView } from './couponView';
import type { EngineContext } from './context';
import { findCoupon } from './findCoupon';
import { ok, refuse, type Result } from './result';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function getCoupon(ctx: EngineContext, orgId: string, couponId: string): Result<CouponView> {
  const row = findCoupon(ctx.db, orgId, couponId);
  return row ? ok(couponAnswer(ctx.db, row, ctx.now())) : refuse('coupon_not_found', 'No such coupon');
}

/** Just the coupon's id and name (what staff see after a verify), without counting its funnel. */
export function couponSummary(ctx: EngineContext, orgId: string, couponId: string): Result<{ id: string; name: string }> {
  const row = findCoupon(ctx.db, orgId, couponId);
  return row ? ok({ id: row.id, name: row.name }) : refuse('coupon_not_found', 'No such coupon');
}

export interface CouponListQuery {
  cursor?: string;
  limit?: number;
  /** the merchant's own id (unique within the organisation) */
  externalId?: string;
}

/** Newest first; the cursor is the last id of the page (ids sort by creation time). Each with its funnel. */
export function listCoupons(ctx: EngineContext, orgId: string, { cursor, limit = 50, externalId }: CouponListQuery = {}): Page<CouponView> {
  const rows = ctx.db
    .select()
    .from(coupons)
    .where(and(eq(coupons.orgId, orgId), cursor ? lt(coupons.id, cursor) : undefined, externalId ? eq(coupons.externalId, externalId) : undefined))
    .orderBy(desc(coupons.id))
    .limit(limit + 1)
    .all();
  const items = couponAnswers(ctx.db, rows.slice(0, limit), ctx.now());
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
