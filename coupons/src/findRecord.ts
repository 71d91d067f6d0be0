import { and, eq } from 'drizzle-orm';
import { redemptionRecords, type Database } from '@couponflow/db';
import type { RecordRow } from './recordView';

/** Tokens are global and unguessable; the record they name carries its organisation. */
export function findRecordByToken(db: Database, token: string): RecordRow | undefined {
  return db.select().from(redemptionRecords).where(eq(redemptionRecords.token, token)).get();
}

export function findRecord(db: Database, orgId: string, recordId: string): RecordRow | undefined {
  return db
    .select()
    .from(redemptionRecords)
    .where(and(eq(redemptionRecords.id, recordId), eq(redemptionRecords.orgId, orgId)))
    .get();
}
