import { z } from 'zod';
import { blockDefinitions, type BlockType } from './blockDefinitions';
import type { BlockPort } from './blocks/defineBlock';

/** One palette entry as `GET /api/v1/node-types` serves it: plain JSON, no zod. */
export interface NodeType {
  type: BlockType;
  label: string;
  description: string;
  ports: BlockPort[];
  defaults: Record<string, unknown>;
  /** JSON Schema (draft 2020-12) of what a client may send as the node's `data`. */
  configSchema: z.core.JSONSchema.JSONSchema;
}

export function nodeTypes(): NodeType[] {
  return Object.values(blockDefinitions).map((block) => ({
    type: block.type,
    label: block.label,
    description: block.description,
    ports: block.ports.map((port) => ({ ...port })),
    // A copy, so a caller editing its answer cannot change the next one.
    defaults: structuredClone(block.defaults) as Record<string, unknown>,
    // `input`: defaults are optional on the way in, which is what the editor's form needs to know.
    configSchema: z.toJSONSchema(block.schema, { target: 'draft-2020-12', io: 'input' }),
  }));
}
