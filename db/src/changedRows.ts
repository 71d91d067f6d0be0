import type { Database } from './database';

/**
 * How many rows an awaited insert, update or delete (without `returning`) changed: SQLite's driver
 * answers `changes`, node-postgres `rowCount`.
 */
export async function changedRows(db: Database, query: PromiseLike<unknown>): Promise<number> {
  const result = (await query) as { changes?: number; rowCount?: number | null };
  return (db.backend === 'postgres' ? result.rowCount : result.changes) ?? 0;
}
