import type { CouponEngine } from '@couponflow/coupons';
import { isRetryableConflict, type Database } from '@couponflow/db';
import type { StepEnv } from './stepEnv';

/** The coupon engine working on a given database handle, e.g. `(db) => createCouponEngine({ db })`. */
export type CouponsFor = (db: Database) => CouponEngine;

/**
 * The coupon engine as a step uses it: working inside the step's transaction (`env.db`), so the
 * coupon it hands out commits with the step or not at all. An engine bound to the database itself
 * would open a transaction beside the step's: on SQLite it would wait forever for the step's (both
 * take turns on the one connection); on PostgreSQL it would commit apart, on a second pooled
 * connection.
 *
 * The Distribute Coupon block turns any failure of the engine into its `error` port. A lost race
 * for a lock (deadlock) is no failure of the offer: it is noted in `env.conflicts`, and the step
 * throws it once the block is done, so the whole transaction runs again. So is any failure inside
 * a transaction whose nested ones take no savepoint (then the caller runs each contact apart).
 */
export function couponsIn(env: StepEnv): CouponEngine {
  const engine = engineOn(env.coupons, env.db);
  const conflicts = env.conflicts;
  if (!conflicts) return engine;
  // The engine with its distribute watched; made per step, so it inherits the rest instead of copying it.
  const watched = Object.create(engine) as CouponEngine;
  const bare = env.db.bareNesting === true;
  watched.distribute = async (...args: Parameters<CouponEngine['distribute']>) => {
    try {
      return await engine.distribute(...args);
    } catch (error) {
      // Run without a savepoint (a broadcast's group, see withoutNestedSavepoints), a failed
      // distribution may have left half its writes: the whole group must roll back.
      if (bare || isRetryableConflict(error)) conflicts.error ??= error;
      throw error;
    }
  };
  return watched;
}

// An engine is a set of functions bound to one database handle; a broadcast's group of contacts shares
// one transaction, so its contacts share one engine instead of each building its own.
const engines = new WeakMap<CouponsFor, WeakMap<Database, CouponEngine>>();

function engineOn(coupons: CouponsFor, db: Database): CouponEngine {
  let byDb = engines.get(coupons);
  if (!byDb) engines.set(coupons, (byDb = new WeakMap()));
  let engine = byDb.get(db);
  if (!engine) byDb.set(db, (engine = coupons(db)));
  return engine;
}
