import { join } from 'node:path';

/** SPEC §6: DATABASE_URL, else `file:<DATA_DIR>/couponflow.db` with DATA_DIR defaulting to `data`. */
export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL || `file:${join(env.DATA_DIR || 'data', 'couponflow.db')}`;
}
