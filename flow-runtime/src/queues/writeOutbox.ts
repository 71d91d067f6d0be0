import { bind, prepared, type Database } from '@couponflow/db';
import type { ContactEvent } from '../engine/contactEvents';

export interface OutboxRow {
  kind: 'message' | 'event' | 'broadcast_chunk';
  orgId: string;
  inboxId: string;
  customerId: string;
  runId: string | null;
  nodeId: string | null;
  payload: unknown;
  dueAt: Date | null;
  now: Date;
}

/** Queues work for after the surrounding transaction commits (see the outbox table). Call inside one. */
export async function writeOutbox(db: Database, row: OutboxRow): Promise<void> {
  await prepared(db, 'insertOutbox', (d, t) =>
    d
      .insert(t.outbox)
      .values({
        kind: bind('kind'),
        orgId: bind('orgId'),
        inboxId: bind('inboxId'),
        customerId: bind('customerId'),
        runId: bind('runId'),
        nodeId: bind('nodeId'),
        payload: bind('payload'),
        dueAt: bind('dueAt'),
        createdAt: bind('createdAt'),
      }),
  ).run({
    kind: row.kind,
    orgId: row.orgId,
    inboxId: row.inboxId,
    customerId: row.customerId,
    runId: row.runId,
    nodeId: row.nodeId,
    payload: JSON.stringify(row.payload),
    dueAt: row.dueAt,
    createdAt: row.now,
  });
}

/**
 * A contact event that must reach the contact's run (a redemption on the page, a timeout, an offer
 * that ended), committed with the change that caused it and applied once Redis has it.
 */
export async function writeContactEvent(
  db: Database,
  orgId: string,
  event: ContactEvent,
  { dueAt = null, now = new Date() }: { dueAt?: Date | null; now?: Date } = {},
): Promise<void> {
  const run = 'runId' in event ? { runId: event.runId, nodeId: event.nodeId } : { runId: null, nodeId: null };
  await writeOutbox(db, { kind: 'event', orgId, inboxId: event.inboxId, customerId: event.customerId, ...run, payload: event, dueAt, now });
}
