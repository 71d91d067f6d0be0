import { and, desc, eq, lt } from 'drizzle-orm';
import { couponAnswer, couponAnswers, type CouponView } from './couponView';
import type { EngineContext } from './context';
import { findCoupon } from './findCoupon';
import { ok, refuse, type Result } from './result';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export async function getCoupon(ctx: EngineContext, orgId: string, couponId: string): Promise<Result<CouponView>> {
  const row = await findCoupon(ctx.db, orgId, couponId);
  return row ? ok(await couponAnswer(ctx.db, row, ctx.now())) : refuse('coupon_not_found', 'No such coupon');
}

/** Just the coupon's id and name (what staff see after a verify), without counting its funnel. */
export async function couponSummary(ctx: EngineContext, orgId: string, couponId: string): Promise<Result<{ id: string; name: string }>> {
  const row = await findCoupon(ctx.db, orgId, couponId);
  return row ? ok({ id: row.id, name: row.name }) : refuse('coupon_not_found', 'No such coupon');
}

export interface CouponListQuery {
  cursor?: string;
  limit?: number;
  /** the merchant's own id (unique within the organisation) */
  externalId?: string;
}

/** Newest first; the cursor is the last id of the page (ids sort by creation time). Each with its funnel. */
export async function listCoupons(ctx: EngineContext, orgId: string, { cursor, limit = 50, externalId }: CouponListQuery = {}): Promise<Page<CouponView>> {
  const { coupons } = ctx.db.tables;
  const rows = await ctx.db
    .select()
    .from(coupons)
    .where(and(eq(coupons.orgId, orgId), cursor ? lt(coupons.id, cursor) : undefined, externalId ? eq(coupons.externalId, externalId) : undefined))
    .orderBy(desc(coupons.id))
    .limit(limit + 1);
  const items = await couponAnswers(ctx.db, rows.slice(0, limit), ctx.now());
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
