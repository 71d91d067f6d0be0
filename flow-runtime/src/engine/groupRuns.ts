import { and, eq, inArray, sql } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';
import type { RunRow } from './walkRun';

/** Contacts per commit in a broadcast, and the most `groupRuns` reads at once. */
export const contactsPerGroup = 100;

/** What a contact of the group already has: this broadcast's run, and an active run. */
export interface KnownRuns {
  started: boolean;
  active: RunRow | undefined;
}

// A fixed number of slots keeps each statement prepared once; a shorter group repeats its last contact.
const slots = Array.from({ length: contactsPerGroup }, (_, i) => sql.placeholder(`c${i}`));

/**
 * A broadcast group's runs, read in two statements instead of two per contact. Call inside the
 * group's transaction, after locking every contact of the group: what it answers then holds until
 * the commit for each contact (starting one contact's run touches no other contact's runs).
 */
export async function groupRuns(db: Database, scope: { broadcastId: string; orgId: string; inboxId: string }, customerIds: string[]): Promise<Map<string, KnownRuns>> {
  if (customerIds.length === 0 || customerIds.length > contactsPerGroup) throw new Error(`a group has 1 to ${contactsPerGroup} contacts`);
  const params: Record<string, unknown> = { ...scope };
  for (let i = 0; i < contactsPerGroup; i++) params[`c${i}`] = customerIds[Math.min(i, customerIds.length - 1)];
  const started = await prepared(db, 'groupBroadcastRuns', (d, { flowRuns }) =>
    d
      .select({ customerId: flowRuns.customerId })
      .from(flowRuns)
      .where(and(eq(flowRuns.broadcastId, bind('broadcastId')), inArray(flowRuns.customerId, slots))),
  ).all(params);
  const active = await prepared(db, 'groupActiveRuns', (d, { flowRuns }) =>
    d
      .select()
      .from(flowRuns)
      .where(
        and(
          eq(flowRuns.orgId, bind('orgId')),
          eq(flowRuns.inboxId, bind('inboxId')),
          inArray(flowRuns.customerId, slots),
          inArray(flowRuns.status, ['running', 'waiting']),
        ),
      ),
  ).all(params);
  const known = new Map<string, KnownRuns>(customerIds.map((id) => [id, { started: false, active: undefined }]));
  for (const { customerId } of started) known.get(customerId)!.started = true;
  // At most one active run per contact (starting one ends the other); the first, as activeRun reads it.
  for (const run of active) {
    const entry = known.get(run.customerId)!;
    entry.active ??= run;
  }
  return known;
}
