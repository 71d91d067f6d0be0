import { bind, insertAtCommit, prepared, type Database, type EventAction } from '@couponflow/db';

export type { EventAction };

/**
 * The audit trail keeps every attempt, refused ones included (SPEC §2.4). Nothing reads the trail
 * inside a write transaction, so on SQLite an event goes in with the others of its commit.
 */
export async function recordEvent(
  db: Database,
  event: { orgId: string; action: EventAction; outcome: string; at: Date; couponId?: string; recordId?: string; customerId?: string; detail?: string },
): Promise<void> {
  const row = {
    orgId: event.orgId,
    action: event.action,
    outcome: event.outcome,
    at: event.at,
    couponId: event.couponId ?? null,
    recordId: event.recordId ?? null,
    customerId: event.customerId ?? null,
    detail: event.detail ?? null,
  };
  if (insertAtCommit(db, 'redemptionEvents', row)) return;
  await prepared(db, 'recordEvent', (d, t) =>
    d.insert(t.redemptionEvents).values({
      orgId: bind('orgId'),
      action: bind('action'),
      outcome: bind('outcome'),
      at: bind('at'),
      couponId: bind('couponId'),
      recordId: bind('recordId'),
      customerId: bind('customerId'),
      detail: bind('detail'),
    }),
  ).run(row);
}
