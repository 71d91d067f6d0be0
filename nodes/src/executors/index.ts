import type { BlockType } from '../blockDefinitions';
import { conditionExecutor } from './conditionExecutor';
import { distributeCouponExecutor } from './distributeCouponExecutor';
import type { BlockExecutor } from './executorTypes';
import {
  endExecutor,
  sendMessageExecutor,
  startExecutor,
  tagContactExecutor,
  waitForReplyExecutor,
} from './simpleExecutors';

/** The runtime's side of each block; the editor never imports this entry point. */
export const executors: { [T in BlockType]: BlockExecutor<T> } = {
  start: startExecutor,
  send_message: sendMessageExecutor,
  distribute_coupon: distributeCouponExecutor,
  wait_for_reply: waitForReplyExecutor,
  condition: conditionExecutor,
  tag_contact: tagContactExecutor,
  end: endExecutor,
};

export * from './executorTypes';
export { renderTemplate } from './renderTemplate';
export { offerChecks, portForReason } from './distributeCouponExecutor';
export { lookupVariable, type VariableSources } from './lookupVariable';
