import { eq } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';

/** A held record whose time passed becomes `expired` once someone touches it. */
export async function markExpired(db: Database, recordId: string): Promise<void> {
  await prepared(db, 'markExpired', (d, t) => d.update(t.redemptionRecords).set({ status: 'expired' }).where(eq(t.redemptionRecords.id, bind('id')))).run({ id: recordId });
}
