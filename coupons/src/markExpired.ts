import { eq } from 'drizzle-orm';
import { bind, prepared, redemptionRecords, type Database } from '@couponflow/db';

/** A held record whose time passed becomes `expired` once someone touches it. */
export function markExpired(db: Database, recordId: string): void {
  prepared(db, 'markExpired', (d) => d.update(redemptionRecords).set({ status: 'expired' }).where(eq(redemptionRecords.id, bind('id'))).prepare()).run({ id: recordId });
}
