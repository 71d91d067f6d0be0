import { createCouponEngine, type CouponEngine } from '@couponflow/coupons';
import type { Database } from '@couponflow/db';

/**
 * The engine on a transaction's handle, for an engine operation that must commit together with the
 * server's own writes (the runtime's outbox rows): its own transaction nests as a savepoint.
 */
export function engineIn(tx: Database): CouponEngine {
  return createCouponEngine({ db: tx });
}
