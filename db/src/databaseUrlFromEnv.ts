import { join } from 'node:path';

/** SPEC §6: DATABASE_URL, else `file:<DATA_DIR>/couponflow.db` with DATA_DIR defaulting to `data`. */
export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL || `file:${join(env.DATA_DIR || 'data', 'couponflow.db')}`;
}

export type DatabaseDialect = 'sqlite' | 'postgres';

/**
 * Which backend a DATABASE_URL names: `file:…`, a plain path or `:memory:` is SQLite;
 * `postgres://` or `postgresql://` is PostgreSQL. Any other scheme is refused, so a mistyped URL
 * stops start-up instead of becoming a SQLite file named after the scheme.
 */
export function databaseDialect(url: string): DatabaseDialect {
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === 'file') return 'sqlite';
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  // Only the scheme is echoed: the rest of the URL may carry a password.
  throw new Error(
    `DATABASE_URL must be file:<path> (SQLite, the default) or postgres://user:password@host:port/database (PostgreSQL); got a ${scheme}: URL`,
  );
}
