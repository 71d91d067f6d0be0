import { bind, prepared, type Database, type EventAction } from '@couponflow/db';

export type { EventAction };

/** The audit trail keeps every attempt, refused ones included (SPEC §2.4). */
export async function recordEvent(
  db: Database,
  event: { orgId: string; action: EventAction; outcome: string; at: Date; couponId?: string; recordId?: string; customerId?: string; detail?: string },
): Promise<void> {
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
  ).run({
    orgId: event.orgId,
    action: event.action,
    outcome: event.outcome,
    at: event.at,
    couponId: event.couponId ?? null,
    recordId: event.recordId ?? null,
    customerId: event.customerId ?? null,
    detail: event.detail ?? null,
  });
}
