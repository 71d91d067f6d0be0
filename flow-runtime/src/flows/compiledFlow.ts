import { and, eq } from 'drizzle-orm';
import { bind, prepared, type Database } from '@couponflow/db';
import type { FlowEdge, FlowNode, ValidFlowGraph } from '@couponflow/nodes';

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
const cache = new Map<string, CompiledFlow>();

export async function compiledFlow(db: Database, flowId: string, version: number): Promise<CompiledFlow> {
  const key = `${flowId}@${version}`;
  let flow = cache.get(key);
  if (!flow) {
    const row = await prepared(db, 'flowVersionGraph', (d, { flowVersions }) =>
      d
        .select({ graph: flowVersions.graph })
        .from(flowVersions)
        .where(and(eq(flowVersions.flowId, bind('flowId')), eq(flowVersions.version, bind('version')))),
    ).get({ flowId, version });
    if (!row) throw new Error(`flow ${key} is not published`);
    flow = compile(flowId, version, row.graph as ValidFlowGraph);
    cache.set(key, flow);
  }
  return flow;
}

function compile(flowId: string, version: number, graph: ValidFlowGraph): CompiledFlow {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const edges = new Map<string, FlowEdge>(graph.edges.map((e) => [`${e.source}\u0000${e.sourceHandle}`, e]));
  const start = graph.nodes.find((n) => n.type === 'start');
  if (!start) throw new Error(`flow ${flowId}@${version} has no start`);
  return {
    flowId,
    version,
    nodes,
    start,
    // Any mention counts: templates and condition rules both name it this way.
    usesContactName: JSON.stringify(graph.nodes).includes('contact.name'),
    next: (nodeId, port) => {
      const edge = edges.get(`${nodeId}\u0000${port}`);
      return edge ? nodes.get(edge.target) : undefined;
    },
  };
}
