import { and, count, eq } from 'drizzle-orm';
import { newId, writeTransaction, type Database } from '@couponflow/db';
import { inboxInfo } from '../engine/stepEnv';
import { writeOutbox } from '../queues/writeOutbox';
import { broadcastChunkSize, type BroadcastChunk } from './broadcastChunk';

export type StartBroadcastResult =
  | { ok: true; id: string; total: number }
  | { ok: false; reason: 'flow_not_found' | 'flow_not_published' | 'inbox_not_found' };

/**
 * Starts a flow's published version for a list of contacts: the broadcast and its chunks commit
 * together (chunks through the outbox), so an accepted broadcast runs even if Redis is away.
 */
export async function startBroadcast(
  db: Database,
  { orgId, flowId, inboxId, customerIds }: { orgId: string; flowId: string; inboxId: string; customerIds: string[] },
  now = new Date(),
): Promise<StartBroadcastResult> {
  const { flows } = db.tables;
  const [flow] = await db.select().from(flows).where(and(eq(flows.id, flowId), eq(flows.orgId, orgId))).limit(1);
  if (!flow) return { ok: false, reason: 'flow_not_found' };
  const version = flow.publishedVersion;
  if (!version) return { ok: false, reason: 'flow_not_published' };
  if ((await inboxInfo(db, inboxId))?.orgId !== orgId) return { ok: false, reason: 'inbox_not_found' };
  const unique = [...new Set(customerIds)];
  const id = newId('bc');
  await writeTransaction(db, async (tx) => {
    await tx.insert(tx.tables.broadcasts).values({ id, orgId, flowId, version, inboxId, total: unique.length, createdAt: now });
    for (let at = 0; at < unique.length; at += broadcastChunkSize) {
      const chunk: BroadcastChunk = { broadcastId: id, flowId, version, inboxId, customerIds: unique.slice(at, at + broadcastChunkSize) };
      await writeOutbox(tx, { kind: 'broadcast_chunk', orgId, inboxId, customerId: '', runId: null, nodeId: null, payload: chunk, dueAt: null, now });
    }
  });
  return { ok: true, id, total: unique.length };
}

/**
 * `started`: contacts whose run began; `completed`: runs that took their first steps and now wait
 * or ended; `failed`: contacts whose start failed. Counted from the runs, so exact after a crash.
 */
export async function broadcastProgress(db: Database, orgId: string, broadcastId: string) {
  const { broadcasts, flowRuns } = db.tables;
  const [broadcast] = await db
    .select({ id: broadcasts.id, total: broadcasts.total })
    .from(broadcasts)
    .where(and(eq(broadcasts.id, broadcastId), eq(broadcasts.orgId, orgId)))
    .limit(1);
  if (!broadcast) return undefined;
  const counts = await db
    .select({ status: flowRuns.status, n: count() })
    .from(flowRuns)
    .where(eq(flowRuns.broadcastId, broadcastId))
    .groupBy(flowRuns.status);
  const of = (...statuses: string[]) => counts.filter((c) => statuses.includes(c.status)).reduce((sum, c) => sum + c.n, 0);
  return { ...broadcast, started: of('running', 'waiting', 'completed', 'cancelled', 'failed'), completed: of('waiting', 'completed', 'cancelled'), failed: of('failed') };
}
