import type { Database } from './database';
import { lockForUpdate } from './writeTransaction';

/**
 * `lockForUpdate`, for work that had to read something first to learn what to lock (a record, to
 * learn its coupon): answers that thing read again after the lock on PostgreSQL, where another
 * transaction may have changed it in between; on SQLite the write transaction held the single
 * writer from its first statement, so `current` still holds and no statement is spent.
 */
export async function lockAndRefresh<T>(tx: Database, scope: string, id: string, current: T, reread: () => Promise<T>): Promise<T> {
  await lockForUpdate(tx, scope, id);
  return tx.backend === 'postgres' ? reread() : current;
}
