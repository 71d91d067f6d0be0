import { eq } from 'drizzle-orm';
import { bind, organisations, prepared, type Database } from '@couponflow/db';

/** The organisation's IANA time zone (redemption windows and daily statistics are read in it). */
export function orgTimeZone(db: Database, orgId: string): string {
  return (
    prepared(db, 'orgTimeZone', (d) => d.select({ timeZone: organisations.timeZone }).from(organisations).where(eq(organisations.id, bind('orgId'))).prepare()).get({
      orgId,
    })?.timeZone ?? 'UTC'
  );
}
