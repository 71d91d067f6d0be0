import { eq, sql } from 'drizzle-orm';
import { lockForUpdate, writeTransaction } from '@couponflow/db';
import { z } from 'zod';
import type { EngineContext } from './context';
import { zodDetails } from './couponSchema';
import { findCoupon } from './findCoupon';
import { findRecord } from './findRecord';
import { noteStock } from './lowStock';
import { recordEvent } from './recordEvent';
import { recordView, type RecordView } from './recordView';
import { ok, refuse, type Result } from './result';
import { offerExpiry } from './usageExpiry';

export const reverseInputSchema = z.object({ to: z.enum(['sent', 'revoked']) });
export type ReverseInput = z.input<typeof reverseInputSchema>;

/**
 * An admin reverses a redemption (a returned order, Capillary's "reversal"): the record goes back to
 * `sent` (the customer may redeem again) or to `revoked`, and the limits count it no more.
 * A unique code is retired, not released: it was shown at the till and may sit on a receipt or a
 * screenshot, so handing it to another customer would let one code be verified twice. The record
 * itself forgets the code; a new redemption takes a fresh one.
 */
export async function reverseRedemption(ctx: EngineContext, orgId: string, couponId: string, recordId: string, input: unknown): Promise<Result<RecordView>> {
  const parsed = reverseInputSchema.safeParse(input);
  if (!parsed.success) return refuse('validation_failed', 'The reversal is not valid', zodDetails(parsed.error));
  const { to } = parsed.data;
  return writeTransaction(ctx.db, async (tx) => {
    const now = ctx.now();
    const { coupons, redemptionRecords } = tx.tables;
    // The counters and the record move together; redemptions of the coupon wait meanwhile.
    await lockForUpdate(tx, 'coupon', couponId);
    const coupon = await findCoupon(tx, orgId, couponId);
    if (!coupon) return refuse('coupon_not_found', 'No such coupon');
    const record = await findRecord(tx, orgId, recordId);
    if (!record || record.couponId !== coupon.id) return refuse('not_found', 'No such redemption of this coupon');
    const event = { orgId, action: 'reverse' as const, at: now, couponId: coupon.id, recordId: record.id, customerId: record.customerId, detail: `to ${to}` };
    const refusal = !record.redeemedAt ? 'not_redeemed' : to === 'sent' && coupon.revokedAt ? 'coupon_revoked' : null;
    if (refusal) {
      await recordEvent(tx, { ...event, outcome: refusal });
      return refusal === 'not_redeemed'
        ? refuse('not_redeemed', 'Only a redeemed (or verified) record can be reversed')
        : refuse('coupon_revoked', 'The coupon was revoked: its records can only be reversed to revoked');
    }
    const retired = coupon.codeType === 'unique' && record.code !== null ? 1 : 0;
    const [reversed] = await tx
      .update(redemptionRecords)
      .set({
        status: to,
        code: null,
        redeemedAt: null,
        verifiedAt: null,
        reversedAt: now,
        revokedAt: to === 'revoked' ? now : null,
        expiresAt: to === 'sent' ? offerExpiry(coupon, record.sentAt, null) : record.expiresAt,
      })
      .where(eq(redemptionRecords.id, record.id))
      .returning();
    const [after] = await tx
      .update(coupons)
      .set({ redeemedCount: sql`${coupons.redeemedCount} - 1`, retiredCodes: sql`${coupons.retiredCodes} + ${retired}` })
      .where(eq(coupons.id, coupon.id))
      .returning();
    await noteStock(tx, after!, now);
    await recordEvent(tx, { ...event, outcome: 'ok', detail: retired ? `to ${to}; code ${record.code} retired` : `to ${to}` });
    return ok(recordView(reversed!, now));
  });
}
