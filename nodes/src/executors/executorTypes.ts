import type { CouponEngine, OfferState } from '@couponflow/coupons';
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

/**
 * What a block may do to the world. A whole step is one database transaction: everything that reads
 * or writes the database answers a Promise, resolved inside that transaction.
 */
export interface StepServices {
  coupons: CouponEngine;
  /** the organisation's coupons add-on (SPEC §5): off, no flow hands out coupons */
  couponsEnabled(): Promise<boolean>;
  redeemUrl(token: string): string;
  /**
   * Queued in the transactional outbox, delivered after the step commits. A permanent refusal
   * wakes the waiting run (`delivery_failed`) unless `refusalWakesRun` is false (a mere reminder).
   */
  send(message: OutboundMessage, options?: { refusalWakesRun?: boolean }): Promise<void>;
  /** where the offer of this record stands at `at` (revoked, switched off, expired, redeemed, open) */
  offerState(recordId: string, at: Date): Promise<OfferState>;
  now(): Date;
  contactTags(): Promise<string[]>;
  /** the contact's stored attributes (`{{contact.name}}` and the like) */
  contactAttributes(): Promise<Record<string, string>>;
  addTag(tag: string): Promise<void>;
  removeTag(tag: string): Promise<void>;
}

export interface StepContext<T extends BlockType> {
  node: { id: string; data: BlockConfig<T> };
  run: RunState;
  services: StepServices;
  /** the template with its placeholders filled (contact fields may need a query) */
  render(template: string): Promise<string>;
}

/** A delayed look at the world while the run waits: at `at` the block's `resume` gets `{kind:'check', check}`. */
export interface ScheduledCheck {
  check: string;
  at: Date;
}

export type StepResult<Port extends string = string> =
  | { kind: 'continue'; port: Port; vars?: Record<string, string> }
  | { kind: 'wait'; waitingFor: 'reply' | 'redemption'; timeoutSeconds?: number; checks?: ScheduledCheck[]; vars?: Record<string, string> }
  | { kind: 'end' };

/** What `resume` may answer besides a step: keep waiting (the same wait), maybe with more checks. */
export type ResumeResult<Port extends string = string> = StepResult<Port> | { kind: 'stay'; checks?: ScheduledCheck[]; vars?: Record<string, string> };

/** What wakes a waiting run. */
export type ResumeEvent =
  | { kind: 'reply'; text: string }
  | { kind: 'timeout' }
  | { kind: 'redemption'; outcome: string; code?: string }
  | { kind: 'delivery_failed'; reason: string }
  /** a check the block scheduled (or one the runtime sent because the coupon changed), due at `dueAt` */
  | { kind: 'check'; check: string; dueAt: Date };

export interface BlockExecutor<T extends BlockType> {
  execute(ctx: StepContext<T>): StepResult<PortId<T>> | Promise<StepResult<PortId<T>>>;
  /** for blocks that wait: how the run leaves when the awaited event arrives */
  resume?(ctx: StepContext<T>, event: ResumeEvent): ResumeResult<PortId<T>> | null | Promise<ResumeResult<PortId<T>> | null>;
}
