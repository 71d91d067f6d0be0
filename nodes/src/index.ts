/** Block definitions shared by the editor (in the browser) and the runtime: zod only, no server code. */
export { blockDefinitions, blockTypes, isBlockType, portsOf } from './blockDefinitions';
export type { BlockConfig, BlockDefinitionOf, BlockType, PortId } from './blockDefinitions';
export type { BlockDefinition, BlockPort } from './blocks/defineBlock';

export { startConfigSchema, type StartConfig } from './blocks/start/schema';
export { sendMessageConfigSchema, urlButtonSchema, type SendMessageConfig, type UrlButton } from './blocks/send_message/schema';
export { distributeCouponConfigSchema, offerReminderSchema, type DistributeCouponConfig, type OfferReminder } from './blocks/distribute_coupon/schema';
export { waitForReplyConfigSchema, type WaitForReplyConfig } from './blocks/wait_for_reply/schema';
export { conditionConfigSchema, conditionRuleSchema, type ConditionConfig, type ConditionRule } from './blocks/condition/schema';
export { tagContactConfigSchema, type TagContactConfig } from './blocks/tag_contact/schema';
export { endConfigSchema, type EndConfig } from './blocks/end/schema';

export { flowEdgeSchema, flowGraphSchema, flowLimits, flowNodeShapeSchema } from './flowGraph';
export type { FlowEdge, FlowGraph, FlowNode, FlowNodeShape, ValidFlowGraph } from './flowGraph';
export type { FlowProblem, FlowValidation } from './flowProblem';
export { validateDraft } from './validateDraft';
export { validateFlow, type FlowChecks } from './validateFlow';
export { nodeTypes, type NodeType } from './nodeTypes';
