import { bind, prepared, redemptionEvents, type Database, type EventAction } from '@couponflow/db';

export type { EventAction };

/** The audit trail keeps every attempt, refused ones included (SPEC §2.4). */
export function recordEvent(
  db: Database,
  event: { orgId: string; action: EventAction; outcome: string; at: Date; couponId?: string; recordId?: string; customerId?: string; detail?: string },
): void {
  prepared(db, 'recordEvent', (d) =>
    d
      .insert(redemptionEvents)
      .values({
        orgId: bind('orgId'),
        action: bind('action'),
        outcome: bind('outcome'),
        at: bind('at'),
        couponId: bind('couponId'),
        recordId: bind('recordId'),
        customerId: bind('customerId'),
        detail: bind('detail'),
      })
      .prepare(),
  ).run({
    orgId: event.orgId,
    action: event.action,
    outcome: event.outcome,
    at: event.at.getTime(),
    couponId: event.couponId ?? null,
    recordId: event.recordId ?? null,
    customerId: event.customerId ?? null,
    detail: event.detail ?? null,
  });
}
