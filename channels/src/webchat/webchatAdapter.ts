import type { ChannelAdapter, OutboundMessage, SendContext, SendResult } from '../core/adapterTypes';

/** Where web chat messages go: the runtime stores them for the visitor's browser to read. */
export interface WebchatDelivery {
  (delivery: { inboxId: string; customerId: string; message: OutboundMessage; idempotencyKey: string }): Promise<void>;
}

/**
 * The built-in web chat as one more adapter: inbound comes through the public web chat API (no
 * webhook, no signature), outbound is handed to `deliver` (a row the browser reads, and a push).
 */
export function webchatAdapter(inboxId: string, deliver: WebchatDelivery): ChannelAdapter {
  return {
    channel: 'webchat',
    verify: async () => false,
    parse: () => [],
    async send({ customerId, message, idempotencyKey }: SendContext): Promise<SendResult> {
      await deliver({ inboxId, customerId, message, idempotencyKey });
      return { ok: true, truncations: [] };
    },
  };
}
