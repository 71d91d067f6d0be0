import type { TransactionOptions } from '@couponflow/db';

/**
 * For the engine's hot write transactions, whose only effects are their statements (ids, tokens
 * and the clock are drawn again on a second run): SQLite's group commit spares them a savepoint.
 */
export const rerunnable: TransactionOptions = { rerunnable: true };
