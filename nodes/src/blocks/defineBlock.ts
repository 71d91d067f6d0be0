import type { z } from 'zod';

/** An outcome of a block; edges name it in `sourceHandle` (by id, never by position). */
export interface BlockPort<Id extends string = string> {
  readonly id: Id;
  readonly label: string;
}

export interface BlockDefinition<
  Type extends string = string,
  Schema extends z.ZodType = z.ZodType,
  PortId extends string = string,
> {
  readonly type: Type;
  readonly label: string;
  /** One line for the palette. */
  readonly description: string;
  /** Validates the node's `data` (SPEC §3.2) at publish time and types it for the runtime. */
  readonly schema: Schema;
  readonly ports: readonly BlockPort<PortId>[];
  /** The `data` of a freshly dropped node; may still need filling in before publishing. */
  readonly defaults: z.input<Schema>;
}

/** Keeps the literal type and port ids so executors can be checked against them. */
export function defineBlock<const Type extends string, Schema extends z.ZodType, const PortId extends string = never>(
  definition: BlockDefinition<Type, Schema, PortId>,
): BlockDefinition<Type, Schema, PortId> {
  return definition;
}
