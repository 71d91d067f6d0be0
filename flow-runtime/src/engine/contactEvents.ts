import type { ContactChannelData } from '@couponflow/channels';

/** Everything that happens to one contact's conversation; applied in order, one at a time. */
export type ContactEvent =
  | {
      type: 'message';
      inboxId: string;
      customerId: string;
      eventId: string;
      text: string;
      /** when the contact wrote (ms); starts the platform's messaging window */
      receivedAt?: number;
      name?: string;
      channelData?: ContactChannelData;
    }
  | { type: 'redemption'; inboxId: string; customerId: string; runId: string; nodeId: string; outcome: string; code?: string }
  | { type: 'timeout'; inboxId: string; customerId: string; runId: string; nodeId: string; waitSerial: number }
  /** a check a waiting block scheduled (offer expiry, reminder) or one sent because the coupon changed; `dueAt` in ms */
  | { type: 'check'; inboxId: string; customerId: string; runId: string; nodeId: string; waitSerial: number; check: string; dueAt: number }
  | { type: 'delivery_failed'; inboxId: string; customerId: string; runId: string; nodeId: string; reason: string }
  | { type: 'broadcast'; inboxId: string; customerId: string; broadcastId: string; flowId: string; version: number };

export type EventOutcome = 'applied' | 'duplicate' | 'ignored' | 'started' | 'skipped' | 'failed';
