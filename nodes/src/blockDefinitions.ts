import type { z } from 'zod';
import type { BlockPort } from './blocks/defineBlock';
import { conditionBlock } from './blocks/condition/definition';
import { distributeCouponBlock } from './blocks/distribute_coupon/definition';
import { endBlock } from './blocks/end/definition';
import { sendMessageBlock } from './blocks/send_message/definition';
import { startBlock } from './blocks/start/definition';
import { tagContactBlock } from './blocks/tag_contact/definition';
import { waitForReplyBlock } from './blocks/wait_for_reply/definition';

/** Every block, keyed by its `type`, in palette order. */
export const blockDefinitions = {
  start: startBlock,
  send_message: sendMessageBlock,
  distribute_coupon: distributeCouponBlock,
  wait_for_reply: waitForReplyBlock,
  condition: conditionBlock,
  tag_contact: tagContactBlock,
  end: endBlock,
} as const;

export type BlockType = keyof typeof blockDefinitions;
export type BlockDefinitionOf<T extends BlockType> = (typeof blockDefinitions)[T];
/** The validated `data` of a node of type T. */
export type BlockConfig<T extends BlockType> = z.output<BlockDefinitionOf<T>['schema']>;
/** The outcome ids of type T, e.g. `PortId<'condition'>` is `'true' | 'false'`. */
export type PortId<T extends BlockType> = BlockDefinitionOf<T>['ports'][number]['id'];

export const blockTypes = Object.keys(blockDefinitions) as BlockType[];

export function isBlockType(type: string): type is BlockType {
  return Object.hasOwn(blockDefinitions, type);
}

export function portsOf<T extends BlockType>(type: T): readonly BlockPort<PortId<T>>[] {
  return blockDefinitions[type].ports;
}
