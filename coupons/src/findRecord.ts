import { and, eq } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';
import type { RecordRow } from './recordView';

/** Tokens are global and unguessable; the record they name carries its organisation. */
export function findRecordByToken(db: Database, token: string): Promise<RecordRow | undefined> {
  return prepared(db, 'findRecordByToken', (d, t) => d.select().from(t.redemptionRecords).where(eq(t.redemptionRecords.token, bind('token')))).get({ token });
}

export function findRecord(db: Database, orgId: string, recordId: string): Promise<RecordRow | undefined> {
  return prepared(db, 'findRecord', (d, t) =>
    d
      .select()
      .from(t.redemptionRecords)
      .where(and(eq(t.redemptionRecords.id, bind('recordId')), eq(t.redemptionRecords.orgId, bind('orgId')))),
  ).get({ recordId, orgId });
}
