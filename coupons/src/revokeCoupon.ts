import { and, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import { changedRows, lockForUpdate, writeTransaction, type Tables } from '@couponflow/db';
import { z } from 'zod';
import type { EngineContext } from './context';
import { zodDetails } from './couponSchema';
import { findCoupon } from './findCoupon';
import { recordEvent } from './recordEvent';
import { ok, refuse, type Result } from './result';
import { nextUpdatedAt } from './cachedCoupon';

export const revokeInputSchema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('coupon') }),
  z.object({ scope: z.literal('unredeemed') }),
  z.object({ scope: z.literal('customers'), customerIds: z.array(z.string().min(1).max(200)).min(1).max(100_000) }),
]);
export type RevokeInput = z.input<typeof revokeInputSchema>;

/**
 * SPEC §2.4 revoke scopes. `coupon` is final and takes every held or redeemed record with it;
 * the others take only records not yet redeemed. Verified records are history and stay verified.
 */
export async function revokeCoupon(ctx: EngineContext, orgId: string, couponId: string, input: unknown): Promise<Result<{ revoked: number }>> {
  const parsed = revokeInputSchema.safeParse(input);
  if (!parsed.success) return refuse('validation_failed', 'The revoke request is not valid', zodDetails(parsed.error));
  const request = parsed.data;
  return writeTransaction(ctx.db, async (tx) => {
    const now = ctx.now();
    const { coupons, redemptionRecords } = tx.tables;
    // After this, no redemption of the coupon is half-way: each one either committed or sees the revoke.
    await lockForUpdate(tx, 'coupon', couponId);
    const coupon = await findCoupon(tx, orgId, couponId);
    if (!coupon) return refuse('coupon_not_found', 'No such coupon');
    if (request.scope === 'coupon' && !coupon.revokedAt) await tx.update(coupons).set({ revokedAt: now, updatedAt: nextUpdatedAt(coupon.updatedAt, now) }).where(eq(coupons.id, coupon.id));
    const statuses = request.scope === 'coupon' ? (['sent', 'opened', 'redeemed'] as const) : (['sent', 'opened'] as const);
    const customers = request.scope === 'customers' ? request.customerIds : null;
    let revoked = 0;
    // Chunked so a long customer list stays under the database's parameter limit.
    for (const chunk of customers ? chunks(customers, 500) : [null]) {
      const revoke = tx
        .update(redemptionRecords)
        .set({ status: 'revoked', revokedAt: now })
        .where(
          and(
            eq(redemptionRecords.couponId, coupon.id),
            inArray(redemptionRecords.status, [...statuses]),
            notExpiredAt(redemptionRecords, now),
            chunk ? inArray(redemptionRecords.customerId, chunk) : undefined,
          ),
        );
      revoked += await changedRows(tx, revoke);
    }
    await recordEvent(tx, { orgId, action: 'revoke', outcome: 'ok', at: now, couponId: coupon.id });
    return ok({ revoked });
  });
}

/** Expired is an end (SPEC §2.3): a record past its usable time stays expired, swept or not yet. */
export function notExpiredAt(r: Tables['redemptionRecords'], now: Date) {
  return or(isNull(r.expiresAt), gt(r.expiresAt, now));
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
