import { eq } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';

/** The organisation's IANA time zone (redemption windows and daily statistics are read in it). */
export async function orgTimeZone(db: Database, orgId: string): Promise<string> {
  const row = await prepared(db, 'orgTimeZone', (d, t) =>
    d.select({ timeZone: t.organisations.timeZone }).from(t.organisations).where(eq(t.organisations.id, bind('orgId'))),
  ).get({ orgId });
  return row?.timeZone ?? 'UTC';
}
