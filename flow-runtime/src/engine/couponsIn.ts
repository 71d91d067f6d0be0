import type { CouponEngine } from '@couponflow/coupons';
import type { Database } from '@couponflow/db';
import type { StepEnv } from './stepEnv';

/** The coupon engine working on a given database handle (a transaction's, inside a step). */
export type CouponsFor = (db: Database) => CouponEngine;

/** An engine that can run its operations inside a caller's transaction (as savepoints). */
type TransactionalEngine = CouponEngine & { within?(tx: Database): CouponEngine };

/**
 * The coupon engine as a step uses it: working inside the step's transaction (`env.db`), so the
 * coupon it hands out commits with the step or not at all. An engine bound to the database itself
 * would open a transaction beside the step's: on SQLite it would wait forever for the step's (both
 * take turns on the one connection), on PostgreSQL it would commit apart and hold a second pooled
 * connection. So the runtime is given a factory (`(db) => createCouponEngine({ db })`), or an
 * engine that offers `within(tx)`; a plain engine is used as it is.
 */
export function couponsIn(env: StepEnv): CouponEngine {
  const { coupons } = env;
  if (typeof coupons === 'function') return coupons(env.db);
  const engine = coupons as TransactionalEngine;
  return env.db.inTransaction && engine.within ? engine.within(env.db) : engine;
}
