import { blockDefinitions, isBlockType } from './blockDefinitions';
import type { FlowEdge, FlowNode, FlowNodeShape, ValidFlowGraph } from './flowGraph';
import { problem, type FlowProblem, type FlowValidation } from './flowProblem';
import { validateDraft } from './validateDraft';

export interface FlowChecks {
  /** Whether the coupon exists in the publishing organisation (the caller knows the org and the database). */
  couponExists(couponId: string): boolean;
  /** Another published flow of the organisation that a keyword (lower-cased) already starts, if any. */
  keywordOwner?(keyword: string): { flowId: string; name: string } | undefined;
}

/** SPEC §3.1 publishing: everything a run could trip over, reported per node and per edge. */
export function validateFlow(graph: unknown, checks: FlowChecks): FlowValidation<ValidFlowGraph> {
  const draft = validateDraft(graph);
  if (!draft.ok) return draft;
  const { nodes, edges } = draft.graph;
  const problems: FlowProblem[] = [];
  const couponExists = cached((couponId) => checks.couponExists(couponId));
  const validNodes = nodes.flatMap((node) => validNode(node, couponExists, problems));
  if (checks.keywordOwner) problems.push(...keywordProblems(validNodes, checks.keywordOwner));
  problems.push(...startProblems(nodes), ...edgeProblems(nodes, edges), ...reachabilityProblems(nodes, edges));
  return problems.length === 0 ? { ok: true, graph: { nodes: validNodes, edges } } : { ok: false, problems };
}

function validNode(node: FlowNodeShape, couponExists: (couponId: string) => boolean, problems: FlowProblem[]): FlowNode[] {
  const at = { nodeId: node.id };
  if (!isBlockType(node.type)) {
    problems.push(problem(at, 'type', `unknown block type "${node.type}"`));
    return [];
  }
  const parsed = blockDefinitions[node.type].schema.safeParse(node.data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(problem(at, ['data', ...issue.path].join('.'), issue.message));
    return [];
  }
  const valid = { ...node, data: parsed.data } as FlowNode;
  if (valid.type === 'distribute_coupon' && !couponExists(valid.data.couponId)) {
    problems.push(problem(at, 'data.couponId', `coupon "${valid.data.couponId}" does not exist`));
  }
  return [valid];
}

/** SPEC §3.2 keywords are per organisation: one keyword, one flow, rather than the lower id silently winning. */
function keywordProblems(nodes: FlowNode[], keywordOwner: NonNullable<FlowChecks['keywordOwner']>): FlowProblem[] {
  const problems: FlowProblem[] = [];
  for (const node of nodes) {
    if (node.type !== 'start' || node.data.trigger.type !== 'keyword') continue;
    node.data.trigger.keywords.forEach((keyword, i) => {
      const owner = keywordOwner(keyword.trim().toLowerCase());
      if (owner)
        problems.push({
          ...problem({ nodeId: node.id }, `data.trigger.keywords.${i}`, `keyword "${keyword}" already starts the published flow "${owner.name}" (${owner.flowId})`),
          otherFlowId: owner.flowId,
        });
    });
  }
  return problems;
}

/** Many nodes may offer the same coupon; ask the database once per coupon. */
function cached(lookup: (couponId: string) => boolean): (couponId: string) => boolean {
  const answers = new Map<string, boolean>();
  return (couponId) => {
    let answer = answers.get(couponId);
    if (answer === undefined) answers.set(couponId, (answer = lookup(couponId)));
    return answer;
  };
}

function startProblems(nodes: FlowNodeShape[]): FlowProblem[] {
  const starts = nodes.filter((n) => n.type === 'start');
  if (starts.length === 0) return [problem({}, 'nodes', 'a flow needs a start block')];
  if (starts.length === 1) return [];
  return starts.map((n) => problem({ nodeId: n.id }, 'type', `a flow has exactly one start block; found ${starts.length}`));
}

function edgeProblems(nodes: FlowNodeShape[], edges: FlowEdge[]): FlowProblem[] {
  const nodesById = new Map(nodes.map((n) => [n.id, n]));
  const wiredPorts = new Map<string, string>(); // `${source}\0${port}` → first edge id
  const problems: FlowProblem[] = [];
  for (const edge of edges) {
    const source = nodesById.get(edge.source);
    const target = nodesById.get(edge.target);
    const at = { edgeId: edge.id, nodeId: source?.id };
    if (!target) problems.push(problem(at, 'target', `there is no node "${edge.target}"`));
    // Start is where runs enter; an edge into it would restart the flow behind the trigger's back.
    else if (target.type === 'start') problems.push(problem(at, 'target', 'the start block takes no incoming edge'));
    if (!source) {
      problems.push(problem(at, 'source', `there is no node "${edge.source}"`));
      continue;
    }
    if (!isBlockType(source.type)) continue; // already reported on the node
    const ports = blockDefinitions[source.type].ports;
    if (ports.length === 0) {
      problems.push(problem(at, 'source', `${blockDefinitions[source.type].label} has no outgoing edges`));
      continue;
    }
    if (!ports.some((p) => p.id === edge.sourceHandle)) {
      const ids = ports.map((p) => p.id).join(', ');
      problems.push(problem(at, 'sourceHandle', `"${edge.sourceHandle}" is not a port of ${source.type}; use one of: ${ids}`));
      continue;
    }
    const key = `${edge.source}\0${edge.sourceHandle}`;
    const first = wiredPorts.get(key);
    // A port leads to one next step; two edges would leave the runtime to pick one.
    if (first !== undefined) problems.push(problem(at, 'sourceHandle', `port "${edge.sourceHandle}" is already connected by edge "${first}"`));
    else wiredPorts.set(key, edge.id);
  }
  return problems;
}

/** Edges count for reachability even when their port is wrong: that is one problem, not two. */
function reachabilityProblems(nodes: FlowNodeShape[], edges: FlowEdge[]): FlowProblem[] {
  const starts = nodes.filter((n) => n.type === 'start');
  if (starts.length === 0) return []; // "needs a start" says it all
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const targets = next.get(edge.source);
    if (targets) targets.push(edge.target);
    else next.set(edge.source, [edge.target]);
  }
  const reached = new Set(starts.map((n) => n.id));
  const queue = [...reached];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const target of next.get(id) ?? []) {
      if (!reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  return nodes.filter((n) => !reached.has(n.id)).map((n) => problem({ nodeId: n.id }, '', 'not reachable from the start block'));
}
