import type { CouponEngine } from '@couponflow/coupons';
import type { Database } from '@couponflow/db';

/**
 * The engine on a transaction's handle, for an engine operation that must commit together with the
 * server's own writes (the runtime's outbox rows): its own transaction nests as a savepoint. (On
 * SQLite an engine transaction opened beside the caller's would wait for it forever: both take
 * turns on the one connection.)
 */
export const engineIn = (engine: CouponEngine, tx: Database): CouponEngine => engine.within(tx);
