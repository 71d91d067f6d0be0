import type { CouponEngine, Result } from '@couponflow/coupons';
import { lockForUpdate, writeTransaction } from '@couponflow/db';
import type { ServerDeps } from '../deps';
import { engineIn } from './engineIn';

/**
 * Runs an engine change that may end offers customers are waiting on (revoke, switching the coupon
 * off) and, in the same transaction, tells the waiting runs to look again: they resume by
 * `coupon_expired` at once, and never for a change that did not commit. The engine stays free of
 * runtime knowledge.
 */
export async function changeWaitingOffers<T>(
  { db, runtime, engine }: Pick<ServerDeps, 'db' | 'runtime' | 'engine'>,
  { orgId, couponId, customerIds }: { orgId: string; couponId: string; customerIds?: string[] },
  change: (engine: CouponEngine) => Promise<Result<T>> | Result<T>,
): Promise<Result<T>> {
  const result = await writeTransaction(db, async (tx) => {
    // Before reading who waits: no offer of this coupon is made or redeemed elsewhere meanwhile.
    await lockForUpdate(tx, 'coupon', couponId);
    const waiting = await runtime.runsWaitingOnCoupon(orgId, couponId, customerIds, tx);
    const changed = await change(engineIn(engine, tx));
    if (changed.ok) await runtime.writeOfferChanged(waiting, tx);
    return changed;
  });
  if (result.ok) void runtime.flushOutbox();
  return result;
}
