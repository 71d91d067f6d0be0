import { and, eq, inArray, isNotNull, lte } from 'drizzle-orm';
import { changedRows, writeTransaction } from '@couponflow/db';
import type { EngineContext } from './context';

/** Writes `expired` on held or redeemed records whose usable time has passed; returns how many. */
export function expireDue(ctx: EngineContext, scope: { couponId?: string } = {}): Promise<number> {
  return writeTransaction(ctx.db, (tx) => {
    const r = tx.tables.redemptionRecords;
    return changedRows(
      tx,
      tx
        .update(r)
        .set({ status: 'expired' })
        .where(
          and(
            scope.couponId ? eq(r.couponId, scope.couponId) : undefined,
            inArray(r.status, ['sent', 'opened', 'redeemed']),
            isNotNull(r.expiresAt),
            lte(r.expiresAt, ctx.now()),
          ),
        ),
    );
  });
}
