import { and, eq } from 'drizzle-orm';
import { bind, prepared, redemptionRecords, type Database } from '@couponflow/db';
import type { RecordRow } from './recordView';

/** Tokens are global and unguessable; the record they name carries its organisation. */
export function findRecordByToken(db: Database, token: string): RecordRow | undefined {
  return prepared(db, 'findRecordByToken', (d) => d.select().from(redemptionRecords).where(eq(redemptionRecords.token, bind('token'))).prepare()).get({ token });
}

export function findRecord(db: Database, orgId: string, recordId: string): RecordRow | undefined {
  return prepared(db, 'findRecord', (d) =>
    d.select().from(redemptionRecords).where(and(eq(redemptionRecords.id, bind('recordId')), eq(redemptionRecords.orgId, bind('orgId')))).prepare(),
  ).get({ recordId, orgId });
}
