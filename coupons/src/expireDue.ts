import { and, eq, inArray, isNotNull, lte } from 'drizzle-orm';
import { redemptionRecords, writeTransaction } from '@couponflow/db';
import type { EngineContext } from './context';

/** Writes `expired` on held or redeemed records whose usable time has passed; returns how many. */
export function expireDue(ctx: EngineContext, scope: { couponId?: string } = {}): number {
  return writeTransaction(ctx.db, (tx) =>
    tx
      .update(redemptionRecords)
      .set({ status: 'expired' })
      .where(
        and(
          scope.couponId ? eq(redemptionRecords.couponId, scope.couponId) : undefined,
          inArray(redemptionRecords.status, ['sent', 'opened', 'redeemed']),
          isNotNull(redemptionRecords.expiresAt),
          lte(redemptionRecords.expiresAt, ctx.now()),
        ),
      )
      .run().changes,
  );
}
