import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import { lockForUpdate, newId, writeTransaction, type Database, type flows } from '@couponflow/db';
import { flowGraphSchema, validateFlow, type FlowGraph, type FlowProblem } from '@couponflow/nodes';
import { existingCouponIds } from './couponExists';
import { publishedKeywords } from './publishedKeywords';

export interface FlowView {
  id: string;
  name: string;
  draft: FlowGraph;
  publishedVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export type PublishResult = { ok: true; version: number } | { ok: false; reason: 'not_found' } | { ok: false; reason: 'flow_invalid'; problems: FlowProblem[] };

const emptyGraph: FlowGraph = { nodes: [], edges: [] };

function view(row: typeof flows.$inferSelect): FlowView {
  return {
    id: row.id,
    name: row.name,
    draft: row.draft as FlowGraph,
    publishedVersion: row.publishedVersion,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function findFlow(db: Database, orgId: string, flowId: string) {
  const { flows } = db.tables;
  return (await db.select().from(flows).where(and(eq(flows.id, flowId), eq(flows.orgId, orgId))).limit(1))[0];
}

export async function createFlow(db: Database, orgId: string, name: string, draft: FlowGraph = emptyGraph): Promise<FlowView> {
  const { flows } = db.tables;
  const now = new Date();
  const [row] = await db.insert(flows).values({ id: newId('flw'), orgId, name, draft, createdAt: now, updatedAt: now }).returning();
  return view(row!);
}

export async function getFlow(db: Database, orgId: string, flowId: string): Promise<FlowView | undefined> {
  const row = await findFlow(db, orgId, flowId);
  return row && view(row);
}

export async function listFlows(db: Database, orgId: string, { cursor, limit = 50 }: { cursor?: string; limit?: number }) {
  const { flows } = db.tables;
  const rows = await db
    .select()
    .from(flows)
    .where(and(eq(flows.orgId, orgId), cursor ? lt(flows.id, cursor) : undefined))
    .orderBy(desc(flows.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(view);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** The autosaved draft: any shape-valid graph, complete or not. */
export async function saveDraft(db: Database, orgId: string, flowId: string, draft: FlowGraph): Promise<FlowView | undefined> {
  const { flows } = db.tables;
  const [row] = await db
    .update(flows)
    .set({ draft: flowGraphSchema.parse(draft), updatedAt: new Date() })
    .where(and(eq(flows.id, flowId), eq(flows.orgId, orgId)))
    .returning();
  return row && view(row);
}

/**
 * Validates the draft (SPEC §3.1) and freezes it as the next version; earlier versions never change.
 * Publishes of one organisation take turns (across processes too): the next version number and
 * the keywords other flows own are read after the lock.
 */
export function publishFlow(db: Database, orgId: string, flowId: string): Promise<PublishResult> {
  return writeTransaction(db, async (tx): Promise<PublishResult> => {
    await lockForUpdate(tx, 'flow-publish', orgId);
    const { flows, flowVersions } = tx.tables;
    const flow = await findFlow(tx, orgId, flowId);
    if (!flow) return { ok: false, reason: 'not_found' };
    const draft = flow.draft as FlowGraph;
    const existing = await existingCouponIds(tx, orgId, referencedCouponIds(draft));
    const checked = validateFlow(draft, {
      couponExists: (couponId) => existing.has(couponId),
      keywordOwner: await publishedKeywords(tx, orgId, flowId),
    });
    if (!checked.ok) return { ok: false, reason: 'flow_invalid', problems: checked.problems };
    const version = (flow.publishedVersion ?? 0) + 1;
    const now = new Date();
    await tx.insert(flowVersions).values({ flowId, version, orgId, graph: checked.graph, publishedAt: now });
    await tx.update(flows).set({ publishedVersion: version, updatedAt: now }).where(eq(flows.id, flowId));
    return { ok: true, version };
  });
}

/** The coupon ids a draft's blocks name, whatever else is wrong with it (validation reports that). */
function referencedCouponIds(draft: FlowGraph): string[] {
  const nodes: unknown[] = Array.isArray(draft?.nodes) ? draft.nodes : [];
  const ids = nodes.map((n) => (n as { data?: { couponId?: unknown } } | null)?.data?.couponId).filter((id): id is string => typeof id === 'string');
  return [...new Set(ids)];
}

export async function listVersions(db: Database, orgId: string, flowId: string) {
  if (!(await findFlow(db, orgId, flowId))) return undefined;
  const { flowVersions } = db.tables;
  const versions = await db
    .select({ version: flowVersions.version, publishedAt: flowVersions.publishedAt })
    .from(flowVersions)
    .where(eq(flowVersions.flowId, flowId))
    .orderBy(desc(flowVersions.version));
  return versions.map((v) => ({ version: v.version, publishedAt: v.publishedAt.toISOString() }));
}

/** Copies a published version into the draft; the history itself is untouched. */
export function restoreVersion(db: Database, orgId: string, flowId: string, version: number): Promise<FlowView | undefined> {
  return writeTransaction(db, async (tx) => {
    const { flowVersions } = tx.tables;
    const [stored] = await tx
      .select({ graph: flowVersions.graph })
      .from(flowVersions)
      .where(and(eq(flowVersions.flowId, flowId), eq(flowVersions.orgId, orgId), eq(flowVersions.version, version)))
      .limit(1);
    if (!stored) return undefined;
    return saveDraft(tx, orgId, flowId, stored.graph as FlowGraph);
  });
}

export type DeleteFlowResult = 'deleted' | 'not_found' | 'flow_has_active_runs';

/**
 * Removes a flow with its versions, unless a run is still on it (it would lose its graph).
 * Ended runs stay as history.
 */
export function deleteFlow(db: Database, orgId: string, flowId: string): Promise<DeleteFlowResult> {
  return writeTransaction(db, async (tx): Promise<DeleteFlowResult> => {
    const { flowRuns, flowVersions, flows } = tx.tables;
    // Runs starting on the flow right now hold it shared: wait for them, then count them as active.
    await lockForUpdate(tx, 'flow', flowId);
    if (!(await findFlow(tx, orgId, flowId))) return 'not_found';
    const [active] = await tx
      .select({ id: flowRuns.id })
      .from(flowRuns)
      .where(and(eq(flowRuns.flowId, flowId), inArray(flowRuns.status, ['running', 'waiting'])))
      .limit(1);
    if (active) return 'flow_has_active_runs';
    await tx.delete(flowVersions).where(eq(flowVersions.flowId, flowId));
    await tx.delete(flows).where(eq(flows.id, flowId));
    return 'deleted';
  });
}
