import type { OutboundMessage } from '@couponflow/nodes/executors';

export interface Delivery {
  orgId: string;
  inboxId: string;
  customerId: string;
  message: OutboundMessage;
  /** stable per message, for platforms that dedupe retries (LINE X-Line-Retry-Key) */
  idempotencyKey: string;
}

/** How a channel answered: transient failures are retried (honouring Retry-After), permanent ones are not. */
export type DeliveryOutcome = { ok: true } | { ok: false; permanent: boolean; reason: string; retryAfterMs?: number };

export interface ChannelSender {
  send(delivery: Delivery): Promise<DeliveryOutcome>;
}
