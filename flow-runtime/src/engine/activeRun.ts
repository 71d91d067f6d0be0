import { and, eq, inArray } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';
import type { RunRow } from './walkRun';

/** A contact has at most one active run (starting one ends the other), so no ordering is needed. */
export function activeRun(db: Database, orgId: string, inboxId: string, customerId: string): Promise<RunRow | undefined> {
  return prepared(db, 'activeRun', (d, t) =>
    d
      .select()
      .from(t.flowRuns)
      .where(
        and(
          eq(t.flowRuns.orgId, bind('orgId')),
          eq(t.flowRuns.inboxId, bind('inboxId')),
          eq(t.flowRuns.customerId, bind('customerId')),
          inArray(t.flowRuns.status, ['running', 'waiting']),
        ),
      )
      .limit(1),
  ).get({ orgId, inboxId, customerId });
}
