import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Database } from './database';

/**
 * An instant column as whole multiples of `ms` since the epoch (an integer to group by): SQLite
 * stores epoch milliseconds, PostgreSQL a timestamptz.
 */
export function epochBucket(db: Database, column: SQLWrapper, ms: number): SQL<number> {
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new Error(`bucket width must be a positive whole number of ms, got ${ms}`);
  const width = sql.raw(String(ms));
  return db.backend === 'postgres' ? sql<number>`floor(extract(epoch from ${column}) * 1000 / ${width})::int8` : sql<number>`${column} / ${width}`;
}
