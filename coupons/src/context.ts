import type { Database } from '@couponflow/db';

/** What every engine operation runs against: the database and a clock (tests pin it to the millisecond). */
export interface EngineContext {
  db: Database;
  now(): Date;
}
