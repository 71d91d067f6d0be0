import type { CouponEngine } from '@couponflow/coupons';
import type { Database } from '@couponflow/db';
import type { StepEnv } from './stepEnv';

/** The coupon engine working on a given database handle, e.g. `(db) => createCouponEngine({ db })`. */
export type CouponsFor = (db: Database) => CouponEngine;

/**
 * The coupon engine as a step uses it: working inside the step's transaction (`env.db`), so the
 * coupon it hands out commits with the step or not at all. An engine bound to the database itself
 * would open a transaction beside the step's: on SQLite it would wait forever for the step's (both
 * take turns on the one connection); on PostgreSQL it would commit apart, on a second pooled
 * connection.
 */
export const couponsIn = (env: StepEnv): CouponEngine => env.coupons(env.db);
