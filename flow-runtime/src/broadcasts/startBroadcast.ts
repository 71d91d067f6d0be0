import { and, count, eq } from 'drizzle-orm';
import { broadcasts, flowRuns, flows, newId, type Database } from '@couponflow/db';
import { inboxInfo } from '../engine/stepEnv';
import { keepJobs, type RuntimeQueues } from '../queues/runtimeQueues';

export const broadcastChunkSize = 500;

export interface BroadcastChunk {
  broadcastId: string;
  flowId: string;
  version: number;
  inboxId: string;
  customerIds: string[];
}

export type StartBroadcastResult =
  | { ok: true; id: string; total: number }
  | { ok: false; reason: 'flow_not_found' | 'flow_not_published' | 'inbox_not_found' };

/** Starts a flow's published version for a list of contacts, queued in chunks that retry on their own. */
export async function startBroadcast(
  db: Database,
  queues: RuntimeQueues,
  { orgId, flowId, inboxId, customerIds }: { orgId: string; flowId: string; inboxId: string; customerIds: string[] },
): Promise<StartBroadcastResult> {
  const flow = db.select().from(flows).where(and(eq(flows.id, flowId), eq(flows.orgId, orgId))).get();
  if (!flow) return { ok: false, reason: 'flow_not_found' };
  if (!flow.publishedVersion) return { ok: false, reason: 'flow_not_published' };
  if (inboxInfo(db, inboxId)?.orgId !== orgId) return { ok: false, reason: 'inbox_not_found' };
  const unique = [...new Set(customerIds)];
  const id = newId('bc');
  db.insert(broadcasts).values({ id, orgId, flowId, version: flow.publishedVersion, inboxId, total: unique.length, createdAt: new Date() }).run();
  const jobs = [];
  for (let at = 0, chunk = 0; at < unique.length; at += broadcastChunkSize, chunk++) {
    const data: BroadcastChunk = { broadcastId: id, flowId, version: flow.publishedVersion, inboxId, customerIds: unique.slice(at, at + broadcastChunkSize) };
    jobs.push({ name: 'chunk', data, opts: { ...keepJobs, jobId: `${id}.${chunk}`, attempts: 10, backoff: { type: 'exponential', delay: 1000 } } });
  }
  for (let at = 0; at < jobs.length; at += 100) await queues.broadcasts.addBulk(jobs.slice(at, at + 100));
  return { ok: true, id, total: unique.length };
}

/**
 * `started`: contacts whose run began; `completed`: runs that took their first steps and now wait
 * or ended; `failed`: contacts whose start failed. Counted from the runs, so exact after a crash.
 */
export function broadcastProgress(db: Database, orgId: string, broadcastId: string) {
  const broadcast = db
    .select({ id: broadcasts.id, total: broadcasts.total })
    .from(broadcasts)
    .where(and(eq(broadcasts.id, broadcastId), eq(broadcasts.orgId, orgId)))
    .get();
  if (!broadcast) return undefined;
  const counts = db
    .select({ status: flowRuns.status, n: count() })
    .from(flowRuns)
    .where(eq(flowRuns.broadcastId, broadcastId))
    .groupBy(flowRuns.status)
    .all();
  const of = (...statuses: string[]) => counts.filter((c) => statuses.includes(c.status)).reduce((sum, c) => sum + c.n, 0);
  return { ...broadcast, started: of('running', 'waiting', 'completed', 'cancelled', 'failed'), completed: of('waiting', 'completed', 'cancelled'), failed: of('failed') };
}
