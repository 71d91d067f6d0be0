import { sql } from 'drizzle-orm';
import type { Database } from './database';
import { postgresExecute } from './preparedQuery';

/**
 * The shared counterpart of `lockForUpdate` (same key): any number of transactions may hold it at
 * once, and `lockForUpdate` on the same thing waits until all of them have ended. For work that
 * only relies on a thing staying as it is (runs starting on a flow) against a rare change of it
 * (deleting the flow). A no-op on SQLite, whose single writer already serialises.
 */
export async function lockForShare(tx: Database, scope: string, id: string): Promise<void> {
  if (!tx.inTransaction) throw new Error('lockForShare outside a write transaction');
  if (tx.backend === 'postgres') await postgresExecute(tx, sql`select pg_advisory_xact_lock_shared(hashtextextended(${`${scope}:${id}`}, 0))`);
}
