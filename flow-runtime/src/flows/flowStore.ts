import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import { flowRuns, flowVersions, flows, newId, writeTransaction, type Database } from '@couponflow/db';
import { flowGraphSchema, validateFlow, type FlowGraph, type FlowProblem } from '@couponflow/nodes';
import { findCouponExists } from './couponExists';
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

const findFlow = (db: Database, orgId: string, flowId: string) =>
  db.select().from(flows).where(and(eq(flows.id, flowId), eq(flows.orgId, orgId))).get();

export function createFlow(db: Database, orgId: string, name: string, draft: FlowGraph = emptyGraph): FlowView {
  const now = new Date();
  const row = db.insert(flows).values({ id: newId('flw'), orgId, name, draft, createdAt: now, updatedAt: now }).returning().get();
  return view(row);
}

export function getFlow(db: Database, orgId: string, flowId: string): FlowView | undefined {
  const row = findFlow(db, orgId, flowId);
  return row && view(row);
}

export function listFlows(db: Database, orgId: string, { cursor, limit = 50 }: { cursor?: string; limit?: number }) {
  const rows = db
    .select()
    .from(flows)
    .where(and(eq(flows.orgId, orgId), cursor ? lt(flows.id, cursor) : undefined))
    .orderBy(desc(flows.id))
    .limit(limit + 1)
    .all();
  const items = rows.slice(0, limit).map(view);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** The autosaved draft: any shape-valid graph, complete or not. */
export function saveDraft(db: Database, orgId: string, flowId: string, draft: FlowGraph): FlowView | undefined {
  const row = db
    .update(flows)
    .set({ draft: flowGraphSchema.parse(draft), updatedAt: new Date() })
    .where(and(eq(flows.id, flowId), eq(flows.orgId, orgId)))
    .returning()
    .get();
  return row && view(row);
}

/** Validates the draft (SPEC §3.1) and freezes it as the next version; earlier versions never change. */
export function publishFlow(db: Database, orgId: string, flowId: string): PublishResult {
  return writeTransaction(db, (tx) => {
    const flow = findFlow(tx, orgId, flowId);
    if (!flow) return { ok: false, reason: 'not_found' };
    const checked = validateFlow(flow.draft as FlowGraph, {
      couponExists: (couponId) => findCouponExists(tx, orgId, couponId),
      keywordOwner: publishedKeywords(tx, orgId, flowId),
    });
    if (!checked.ok) return { ok: false, reason: 'flow_invalid', problems: checked.problems };
    const version = (flow.publishedVersion ?? 0) + 1;
    const now = new Date();
    tx.insert(flowVersions).values({ flowId, version, orgId, graph: checked.graph, publishedAt: now }).run();
    tx.update(flows).set({ publishedVersion: version, updatedAt: now }).where(eq(flows.id, flowId)).run();
    return { ok: true, version };
  });
}

export function listVersions(db: Database, orgId: string, flowId: string) {
  if (!findFlow(db, orgId, flowId)) return undefined;
  return db
    .select({ version: flowVersions.version, publishedAt: flowVersions.publishedAt })
    .from(flowVersions)
    .where(eq(flowVersions.flowId, flowId))
    .orderBy(desc(flowVersions.version))
    .all()
    .map((v) => ({ version: v.version, publishedAt: v.publishedAt.toISOString() }));
}

/** Copies a published version into the draft; the history itself is untouched. */
export function restoreVersion(db: Database, orgId: string, flowId: string, version: number): FlowView | undefined {
  return writeTransaction(db, (tx) => {
    const stored = tx
      .select({ graph: flowVersions.graph })
      .from(flowVersions)
      .where(and(eq(flowVersions.flowId, flowId), eq(flowVersions.orgId, orgId), eq(flowVersions.version, version)))
      .get();
    if (!stored) return undefined;
    return saveDraft(tx, orgId, flowId, stored.graph as FlowGraph);
  });
}

export type DeleteFlowResult = 'deleted' | 'not_found' | 'flow_has_active_runs';

/**
 * Removes a flow with its versions, unless a run is still on it (it would lose its graph).
 * Ended runs stay as history.
 */
export function deleteFlow(db: Database, orgId: string, flowId: string): DeleteFlowResult {
  return writeTransaction(db, (tx) => {
    if (!findFlow(tx, orgId, flowId)) return 'not_found';
    const active = tx
      .select({ id: flowRuns.id })
      .from(flowRuns)
      .where(and(eq(flowRuns.flowId, flowId), inArray(flowRuns.status, ['running', 'waiting'])))
      .limit(1)
      .get();
    if (active) return 'flow_has_active_runs';
    tx.delete(flowVersions).where(eq(flowVersions.flowId, flowId)).run();
    tx.delete(flows).where(eq(flows.id, flowId)).run();
    return 'deleted';
  });
}
