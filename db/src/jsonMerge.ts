import { sql, type SQL } from 'drizzle-orm';
import type { Database } from './database';

/**
 * A JSON object column with `patch`'s keys set over its current ones (null or missing counts as
 * `{}`), for an UPDATE's SET: `json_patch` on SQLite, jsonb `||` on PostgreSQL.
 */
export function mergeJsonObject(db: Database, column: SQL | { getSQL(): SQL }, patch: object): SQL {
  const text = JSON.stringify(patch);
  return mergeJsonObjectWith(db, column, db.backend === 'postgres' ? sql`${text}::jsonb` : sql`${text}`);
}

/** The same, with the patch given as SQL of the column's own type (e.g. `excluded.<column>` in an upsert). */
export function mergeJsonObjectWith(db: Database, column: SQL | { getSQL(): SQL }, patch: SQL): SQL {
  return db.backend === 'postgres' ? sql`coalesce(${column}, '{}'::jsonb) || ${patch}` : sql`json_patch(coalesce(${column}, '{}'), ${patch})`;
}
