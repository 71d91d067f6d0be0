import type { CouponEngine } from '@couponflow/coupons';
import type { BlockConfig, BlockType, PortId } from '../blockDefinitions';

/** One bot message as every channel adapter receives it (SPEC §4 renders it natively per platform). */
export interface OutboundMessage {
  type: 'text' | 'image' | 'offer';
  text?: string;
  imageUrl?: string;
  buttons: Array<{ title: string; url: string }>;
  /** WhatsApp: the approved template to use outside the 24 h window (the block's, overriding the inbox's) */
  template?: { name: string; language: string; headerImage?: boolean; bodyText?: boolean; buttonUrlSuffix?: boolean };
}

export interface RunState {
  id: string;
  orgId: string;
  inboxId: string;
  channel: string;
  customerId: string;
  /** `{{vars.*}}`; keys starting with `coupon.` hold `{{coupon.*}}` */
  vars: Record<string, string>;
}

/** What a block may do to the world. Everything is synchronous: a whole step is one database transaction. */
export interface StepServices {
  coupons: CouponEngine;
  redeemUrl(token: string): string;
  /** queued in the transactional outbox, delivered after the step commits */
  send(message: OutboundMessage): void;
  contactTags(): string[];
  addTag(tag: string): void;
  removeTag(tag: string): void;
}

export interface StepContext<T extends BlockType> {
  node: { id: string; data: BlockConfig<T> };
  run: RunState;
  services: StepServices;
  render(template: string): string;
}

export type StepResult<Port extends string = string> =
  | { kind: 'continue'; port: Port; vars?: Record<string, string> }
  | { kind: 'wait'; waitingFor: 'reply' | 'redemption'; timeoutSeconds?: number; vars?: Record<string, string> }
  | { kind: 'end' };

/** What wakes a waiting run. */
export type ResumeEvent =
  | { kind: 'reply'; text: string }
  | { kind: 'timeout' }
  | { kind: 'redemption'; outcome: string; code?: string }
  | { kind: 'delivery_failed'; reason: string };

export interface BlockExecutor<T extends BlockType> {
  execute(ctx: StepContext<T>): StepResult<PortId<T>>;
  /** for blocks that wait: how the run leaves when the awaited event arrives */
  resume?(ctx: StepContext<T>, event: ResumeEvent): StepResult<PortId<T>> | null;
}
