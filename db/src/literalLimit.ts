import { sql } from 'drizzle-orm';

/**
 * `.limit(literalLimit(1))`: the LIMIT written into the SQL instead of bound. SQLite plans a bound
 * `LIMIT ?` several times slower on hot look-ups, and PostgreSQL needs a LIMIT at all, or a `get()`
 * fetches every matching row to keep the first. (drizzle embeds a SQL object given as the limit.)
 */
export function literalLimit(rows: number): number {
  return sql.raw(String(Math.max(0, Math.trunc(rows)))) as unknown as number;
}
