import { sql, type SQL } from 'drizzle-orm';
import type { Database } from './database';

/**
 * A JSON object column with `patch`'s keys set over its current ones (null or missing counts as
 * `{}`), for an UPDATE's SET: `json_patch` on SQLite, jsonb `||` on PostgreSQL.
 */
export function mergeJsonObject(db: Database, column: SQL | { getSQL(): SQL }, patch: object): SQL {
  const text = JSON.stringify(patch);
  return db.backend === 'postgres' ? sql`coalesce(${column}, '{}'::jsonb) || ${text}::jsonb` : sql`json_patch(coalesce(${column}, '{}'), ${text})`;
}
