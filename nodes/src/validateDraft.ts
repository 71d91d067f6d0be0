import type { z } from 'zod';
import { flowGraphSchema, type FlowGraph } from './flowGraph';
import { problem, type FlowProblem, type FlowValidation } from './flowProblem';

/** Drafts are autosaved half-built: only the graph's shape is checked, never the blocks' config. */
export function validateDraft(graph: unknown): FlowValidation<FlowGraph> {
  const parsed = flowGraphSchema.safeParse(graph);
  if (parsed.success) return { ok: true, graph: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((issue) => shapeProblem(graph, issue)) };
}

/** `nodes.3.position.x` becomes node n7's `position.x` whenever node 3 has a readable id. */
function shapeProblem(graph: unknown, issue: z.core.$ZodIssue): FlowProblem {
  const [list, index, ...rest] = issue.path;
  if ((list === 'nodes' || list === 'edges') && typeof index === 'number') {
    const id = idAt(graph, list, index);
    if (id !== undefined) return problem(list === 'nodes' ? { nodeId: id } : { edgeId: id }, rest.join('.'), issue.message);
  }
  return problem({}, issue.path.join('.'), issue.message);
}

function idAt(graph: unknown, list: 'nodes' | 'edges', index: number): string | undefined {
  const elements = (graph as Record<string, unknown> | null)?.[list];
  const element: unknown = Array.isArray(elements) ? elements[index] : undefined;
  const id = (element as Record<string, unknown> | null | undefined)?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
