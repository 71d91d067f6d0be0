/**
 * One thing to fix, placed where the editor shows it. `path` is relative to the edge when `edgeId`
 * is set, else to the node when `nodeId` is set (e.g. `data.couponId`), else to the graph.
 * Edge problems also name their source node, so a node can show what is wrong with its ports.
 */
export interface FlowProblem {
  nodeId?: string;
  edgeId?: string;
  path: string;
  message: string;
  /** another flow the problem is with (a keyword that flow already answers) */
  otherFlowId?: string;
}

export type FlowValidation<Graph> = { ok: true; graph: Graph } | { ok: false; problems: FlowProblem[] };

export function problem(at: { nodeId?: string | undefined; edgeId?: string | undefined }, path: string, message: string): FlowProblem {
  return {
    ...(at.nodeId !== undefined && { nodeId: at.nodeId }),
    ...(at.edgeId !== undefined && { edgeId: at.edgeId }),
    path,
    message,
  };
}
