import { and, eq, inArray } from 'drizzle-orm';
import { lockForUpdate, writeTransaction, type Database } from '@couponflow/db';
import { couponInputSchema, couponPatchSchema, zodDetails, type CouponSettings } from './couponSchema';
import { couponAnswer, couponView, type CouponRow, type CouponView } from './couponView';
import { externalIdTaken, restrictionColumns } from './createCoupon';
import { noteStock } from './lowStock';
import type { EngineContext } from './context';
import { findCoupon } from './findCoupon';
import { redeemPageProblem } from './checkRedeemPage';
import { onceUniqueSettles } from './onceUniqueSettles';
import { ok, refuse, type Result } from './result';
import { poolProblemFor } from './poolProblem';
import { notExpiredAt } from './revokeCoupon';
import { offerExpiry } from './usageExpiry';
import { nextUpdatedAt } from './cachedCoupon';

export async function updateCoupon(ctx: EngineContext, orgId: string, couponId: string, patch: unknown): Promise<Result<CouponView>> {
  const parsed = couponPatchSchema.safeParse(patch);
  if (!parsed.success) return refuse('validation_failed', 'The change is not valid', zodDetails(parsed.error));
  const change = parsed.data;

  // The unique index on (org, externalId) settles a race with another coupon taking the same one.
  return onceUniqueSettles(() =>
    writeTransaction(ctx.db, async (tx) => {
      // Limits and the low-stock mark are decided on the coupon's counters, which redemptions move.
      await lockForUpdate(tx, 'coupon', couponId);
      const current = await findCoupon(tx, orgId, couponId);
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

      if (next.externalId && (await externalIdTaken(tx, orgId, next.externalId, current.id)))
        return refuse('external_id_taken', `Another coupon of this organisation has the externalId ${next.externalId}`, [
          { path: 'externalId', message: 'already used' },
        ]);
      const problem = redeemPageProblem(next.code, next.redeemPage) ?? (await poolProblemFor(tx, current, next.redeemPage.codeDisplay));
      if (problem) return refuse('validation_failed', problem, [{ path: 'redeemPage.codeDisplay', message: problem }]);

      const { coupons } = tx.tables;
      const [row] = await tx
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
          updatedAt: nextUpdatedAt(current.updatedAt, ctx.now()),
        })
        .where(eq(coupons.id, current.id))
        .returning();
      if (newEnd !== oldEnd) await extendHeldRecords(tx, row!, ctx.now());
      // A changed limit or threshold can cross the low-stock line either way.
      await noteStock(tx, row!, ctx.now());
      return ok(await couponAnswer(tx, (await findCoupon(tx, orgId, couponId))!, ctx.now()));
    }),
  );
}

/**
 * A longer period reaches the records customers already hold: their expiry is computed again.
 * Only records whose expiry moves are written, one statement per new expiry (a period-bound
 * expiry moves every record to the same instant).
 */
async function extendHeldRecords(tx: Database, coupon: CouponRow, now: Date): Promise<void> {
  const r = tx.tables.redemptionRecords;
  const held = await tx
    .select({ id: r.id, sentAt: r.sentAt, redeemedAt: r.redeemedAt, expiresAt: r.expiresAt })
    .from(r)
    .where(and(eq(r.couponId, coupon.id), inArray(r.status, ['sent', 'opened', 'redeemed']), notExpiredAt(r, now)));
  const byExpiry = new Map<number | null, string[]>();
  for (const record of held) {
    const expiresAt = offerExpiry(coupon, record.sentAt, record.redeemedAt)?.getTime() ?? null;
    if (expiresAt === (record.expiresAt?.getTime() ?? null)) continue;
    const ids = byExpiry.get(expiresAt) ?? [];
    ids.push(record.id);
    byExpiry.set(expiresAt, ids);
  }
  for (const [expiresAt, ids] of byExpiry) {
    // Chunked so a long list stays under the database's parameter limit.
    for (let at = 0; at < ids.length; at += 500)
      await tx
        .update(r)
        .set({ expiresAt: expiresAt === null ? null : new Date(expiresAt) })
        .where(inArray(r.id, ids.slice(at, at + 500)));
  }
}

/** `code` may be sent back as it is (a common code without its value means "unchanged"). */
function sameCode(current: CouponView['code'], sent: CouponSettings['code']): boolean {
  if (current.type === 'common') return sent.type === 'common' && (sent.value === undefined || sent.value === current.value);
  if (sent.type === 'common') return false;
  return current.length === sent.length && current.charset === sent.charset && (current.prefix ?? null) === (sent.prefix ?? null);
}
