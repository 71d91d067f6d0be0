import { eq } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';
import type { Queue } from 'bullmq';
import type { RuntimeQueues } from './runtimeQueues';

// An inbox's channel never changes, so each process reads it once.
const webchatInboxes = new WeakMap<Database, Map<string, boolean>>();

/**
 * The queue that delivers an inbox's messages. Web chat's delivery writes its rows to the
 * database, so it has a queue of its own, drained where the flow steps run (with SQLite, the one
 * process that writes); platform channels' delivery only reads it and calls out, so any process
 * may take it (with ROLE=all and HTTP_PROCESSES, the HTTP processes do). A deleted inbox's
 * messages go to `outbound`, whose worker gives them up.
 */
export async function deliveryQueueOf(db: Database, queues: RuntimeQueues, inboxId: string): Promise<Queue> {
  let known = webchatInboxes.get(db);
  if (!known) webchatInboxes.set(db, (known = new Map()));
  let webchat = known.get(inboxId);
  if (webchat === undefined) {
    const row = await prepared(db, 'deliveryQueueInboxChannel', (d, t) => d.select({ channel: t.inboxes.channel }).from(t.inboxes).where(eq(t.inboxes.id, bind('id')))).get({ id: inboxId });
    if (!row) return queues.outbound;
    webchat = row.channel === 'webchat';
    known.set(inboxId, webchat);
  }
  return webchat ? queues.outboundWebchat : queues.outbound;
}
