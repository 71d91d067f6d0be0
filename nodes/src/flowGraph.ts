import { z } from 'zod';
import type { BlockConfig, BlockType } from './blockDefinitions';

/** Big enough for any hand-drawn flow, small enough that validating one stays instant. */
export const flowLimits = { nodes: 2000, edges: 5000 } as const;

const elementId = z.string().min(1, 'required').max(100);
const portId = z.string().min(1, 'required').max(50);

// z.object strips what React Flow adds on its own (measured, selected, dragging, width…): not ours to store.
export const flowNodeShapeSchema = z.object({
  id: elementId,
  type: z.string().min(1, 'required').max(50),
  position: z.object({ x: z.number(), y: z.number() }),
  data: z.record(z.string(), z.unknown()),
});

export const flowEdgeSchema = z.object({
  id: elementId,
  source: elementId,
  /** The outcome id of the source block's port (SPEC §3.1: ports by id, never by index). */
  sourceHandle: portId,
  target: elementId,
  // Blocks have one input, so the target handle carries no meaning; React Flow sends null for it.
  targetHandle: portId.nullish(),
});

/** SPEC §3.1: React Flow's own `{nodes, edges}`; only the shape, so an unfinished draft still fits. */
export const flowGraphSchema = z
  .object({
    nodes: z.array(flowNodeShapeSchema).max(flowLimits.nodes, `a flow may have at most ${flowLimits.nodes} nodes`),
    edges: z.array(flowEdgeSchema).max(flowLimits.edges, `a flow may have at most ${flowLimits.edges} edges`),
  })
  .superRefine((graph, ctx) => {
    for (const list of ['nodes', 'edges'] as const) {
      const seen = new Set<string>();
      graph[list].forEach((element, i) => {
        if (seen.has(element.id)) ctx.addIssue({ code: 'custom', path: [list, i, 'id'], message: `id "${element.id}" is used twice` });
        seen.add(element.id);
      });
    }
  });

export type FlowGraph = z.output<typeof flowGraphSchema>;
export type FlowNodeShape = z.output<typeof flowNodeShapeSchema>;
export type FlowEdge = z.output<typeof flowEdgeSchema>;

/** A node whose `data` passed its block's schema, discriminated by `type`. */
export type FlowNode = {
  [T in BlockType]: { id: string; type: T; position: { x: number; y: number }; data: BlockConfig<T> };
}[BlockType];

/** What publishing stores and the runtime walks. */
export interface ValidFlowGraph {
  nodes: FlowNode[];
  edges: FlowEdge[];
}
