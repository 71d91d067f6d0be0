import { createCouponEngine, type CouponEngine } from '@couponflow/coupons';
import type { Database } from '@couponflow/db';

/** An engine that can run its operations inside a caller's transaction (as savepoints). */
type TransactionalEngine = CouponEngine & { within?(tx: Database): CouponEngine };

/**
 * The engine on a transaction's handle, for an engine operation that must commit together with the
 * server's own writes (the runtime's outbox rows): its own transaction nests as a savepoint. (On
 * SQLite an engine transaction opened beside the caller's would wait for it forever: both take
 * turns on the one connection.)
 */
export function engineIn(engine: CouponEngine, tx: Database): CouponEngine {
  const transactional = engine as TransactionalEngine;
  return transactional.within ? transactional.within(tx) : createCouponEngine({ db: tx });
}
