import { and, eq, inArray } from 'drizzle-orm';
import { coupons, redemptionRecords, writeTransaction } from '@couponflow/db';
import { couponInputSchema, couponPatchSchema, zodDetails, type CouponSettings } from './couponSchema';
import { couponAnswer, couponView, type CouponRow, type CouponView } from './couponView';
import { externalIdTaken, restrictionColumns } from './createCoupon';
import { noteStock } from './lowStock';
import type { EngineContext } from './context';
import { findCoupon } from './findCoupon';
import { redeemPageProblem } from './checkRedeemPage';
import { ok, refuse, type Result } from './result';
import { poolProblemFor } from './poolProblem';
import { notExpiredAt } from './revokeCoupon';
import { offerExpiry } from './usageExpiry';

export function updateCoupon(ctx: EngineContext, orgId: string, couponId: string, patch: unknown): Result<CouponView> {
  const parsed = couponPatchSchema.safeParse(patch);
  if (!parsed.success) return refuse('validation_failed', 'The change is not valid', zodDetails(parsed.error));
  const change = parsed.data;

  return writeTransaction(ctx.db, (tx) => {
    const current = findCoupon(tx, orgId, couponId);
    if (!current) return refuse('coupon_not_found', 'No such coupon');
    if (current.revokedAt) return refuse('coupon_revoked', 'A revoked coupon cannot be changed');
    const before = couponView(current);
    if (change.code && !sameCode(before.code, change.code))
      return refuse('code_immutable', 'The code settings cannot change once the coupon exists', [{ path: 'code', message: 'immutable' }]);

    const merged = couponInputSchema.safeParse({ ...before, ...change, code: before.code });
    if (!merged.success) return refuse('validation_failed', 'The change is not valid', zodDetails(merged.error));
    const next = merged.data;

    const oldEnd = current.endsAt?.getTime() ?? Infinity;
    const newEnd = next.activePeriod.endsAt ? Date.parse(next.activePeriod.endsAt) : Infinity;
    if (newEnd < oldEnd)
      return refuse('ends_at_shortened', 'endsAt may be extended, never shortened: customers already hold the coupon', [
        { path: 'activePeriod.endsAt', message: 'earlier than the current end' },
      ]);

    if (next.externalId && externalIdTaken(tx, orgId, next.externalId, current.id))
      return refuse('external_id_taken', `Another coupon of this organisation has the externalId ${next.externalId}`, [
        { path: 'externalId', message: 'already used' },
      ]);
    const problem = redeemPageProblem(next.code, next.redeemPage) ?? poolProblemFor(tx, current, next.redeemPage.codeDisplay);
    if (problem) return refuse('validation_failed', problem, [{ path: 'redeemPage.codeDisplay', message: problem }]);

    const row = tx
      .update(coupons)
      .set({
        name: next.name,
        startsAt: new Date(next.activePeriod.startsAt),
        endsAt: next.activePeriod.endsAt ? new Date(next.activePeriod.endsAt) : null,
        totalLimit: next.totalLimit,
        perCustomerLimit: next.perCustomerLimit,
        active: next.active,
        usageExpiry: next.usageExpiry,
        redeemPage: next.redeemPage,
        contactTags: next.contactTags,
        ...restrictionColumns(next),
        updatedAt: ctx.now(),
      })
      .where(eq(coupons.id, current.id))
      .returning()
      .get();
    if (newEnd !== oldEnd) extendHeldRecords(ctx, row, ctx.now());
    // A changed limit or threshold can cross the low-stock line either way.
    noteStock(tx, row, ctx.now());
    return ok(couponAnswer(tx, findCoupon(tx, orgId, couponId)!, ctx.now()));
  });
}

/** A longer period reaches the records customers already hold: their expiry is computed again. */
function extendHeldRecords(ctx: EngineContext, coupon: CouponRow, now: Date): void {
  const held = ctx.db
    .select({ id: redemptionRecords.id, sentAt: redemptionRecords.sentAt, redeemedAt: redemptionRecords.redeemedAt })
    .from(redemptionRecords)
    .where(
      and(eq(redemptionRecords.couponId, coupon.id), inArray(redemptionRecords.status, ['sent', 'opened', 'redeemed']), notExpiredAt(now)),
    )
    .all();
  for (const record of held) {
    ctx.db
      .update(redemptionRecords)
      .set({ expiresAt: offerExpiry(coupon, record.sentAt, record.redeemedAt) })
      .where(eq(redemptionRecords.id, record.id))
      .run();
  }
}

/** `code` may be sent back as it is (a common code without its value means "unchanged"). */
function sameCode(current: CouponView['code'], sent: CouponSettings['code']): boolean {
  if (current.type === 'common') return sent.type === 'common' && (sent.value === undefined || sent.value === current.value);
  if (sent.type === 'common') return false;
  return current.length === sent.length && current.charset === sent.charset && (current.prefix ?? null) === (sent.prefix ?? null);
}
