import { and, eq } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';
import type { FlowNode, ValidFlowGraph } from '@couponflow/nodes';

/** A published version, indexed for walking: nodes by id, edges by (source, port). */
export interface CompiledFlow {
  flowId: string;
  version: number;
  nodes: Map<string, FlowNode>;
  start: FlowNode;
  /** whether any block reads the contact's display name (`{{contact.name}}`, a condition on `contact.name`) */
  usesContactName: boolean;
  next(nodeId: string, port: string): FlowNode | undefined;
}

// Published versions are immutable, so a compiled one can be kept for the life of the process.
// By flow, then version: looked up per step, so no key string is built each time.
const cache = new Map<string, Map<number, CompiledFlow>>();

export async function compiledFlow(db: Database, flowId: string, version: number): Promise<CompiledFlow> {
  let versions = cache.get(flowId);
  let flow = versions?.get(version);
  if (!flow) {
    const key = `${flowId}@${version}`;
    const row = await prepared(db, 'flowVersionGraph', (d, { flowVersions }) =>
      d
        .select({ graph: flowVersions.graph })
        .from(flowVersions)
        .where(and(eq(flowVersions.flowId, bind('flowId')), eq(flowVersions.version, bind('version')))),
    ).get({ flowId, version });
    if (!row) throw new Error(`flow ${key} is not published`);
    flow = compile(flowId, version, row.graph as ValidFlowGraph);
    if (!versions) cache.set(flowId, (versions = new Map()));
    versions.set(version, flow);
  }
  return flow;
}

function compile(flowId: string, version: number, graph: ValidFlowGraph): CompiledFlow {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  // source → port → target node
  const edges = new Map<string, Map<string, FlowNode>>();
  for (const e of graph.edges) {
    const target = nodes.get(e.target);
    if (!target) continue;
    let ports = edges.get(e.source);
    if (!ports) edges.set(e.source, (ports = new Map()));
    ports.set(e.sourceHandle, target);
  }
  const start = graph.nodes.find((n) => n.type === 'start');
  if (!start) throw new Error(`flow ${flowId}@${version} has no start`);
  return {
    flowId,
    version,
    nodes,
    start,
    // Any mention counts: templates and condition rules both name it this way.
    usesContactName: JSON.stringify(graph.nodes).includes('contact.name'),
    next: (nodeId, port) => edges.get(nodeId)?.get(port),
  };
}
