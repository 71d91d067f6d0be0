import { and, eq, inArray } from 'drizzle-orm';
import { bind, flowRuns, prepared, type Database } from '@couponflow/db';
import type { RunRow } from './walkRun';

/** A contact has at most one active run (starting one ends the other), so no ordering is needed. */
export function activeRun(db: Database, orgId: string, inboxId: string, customerId: string): RunRow | undefined {
  return prepared(db, 'activeRun', (d) =>
    d
      .select()
      .from(flowRuns)
      .where(
        and(
          eq(flowRuns.orgId, bind('orgId')),
          eq(flowRuns.inboxId, bind('inboxId')),
          eq(flowRuns.customerId, bind('customerId')),
          inArray(flowRuns.status, ['running', 'waiting']),
        ),
      )
      .limit(1)
      .prepare(),
  ).get({ orgId, inboxId, customerId });
}
