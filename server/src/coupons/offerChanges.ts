import type { Result } from '@couponflow/coupons';
import { writeTransaction } from '@couponflow/db';
import type { ServerDeps } from '../deps';

/**
 * Runs an engine change that may end offers customers are waiting on (revoke, switching the coupon
 * off) and, in the same transaction, tells the waiting runs to look again: they resume by
 * `coupon_expired` at once, and never for a change that did not commit. The engine stays free of
 * runtime knowledge.
 */
export function changeWaitingOffers<T>(
  { db, runtime }: Pick<ServerDeps, 'db' | 'runtime'>,
  { orgId, couponId, customerIds }: { orgId: string; couponId: string; customerIds?: string[] },
  change: () => Result<T>,
): Result<T> {
  const result = writeTransaction(db, () => {
    const waiting = runtime.runsWaitingOnCoupon(orgId, couponId, customerIds);
    const changed = change();
    if (changed.ok) runtime.writeOfferChanged(waiting);
    return changed;
  });
  if (result.ok) void runtime.flushOutbox();
  return result;
}
