import type { CouponEngine } from '@couponflow/coupons';
import type { Database } from '@couponflow/db';
import type { StepEnv } from './stepEnv';

/** An engine that can run its operations inside a caller's transaction (as savepoints). */
type TransactionalEngine = CouponEngine & { within?(tx: Database): CouponEngine };

/**
 * The coupon engine as a step uses it: inside the step's transaction (`env.db`), so the coupon it
 * hands out commits with the step or not at all. (On SQLite an engine transaction opened beside the
 * step's would wait for it forever: both take turns on the one connection.)
 */
export function couponsIn(env: StepEnv): CouponEngine {
  const engine = env.coupons as TransactionalEngine;
  return env.db.inTransaction && engine.within ? engine.within(env.db) : engine;
}
