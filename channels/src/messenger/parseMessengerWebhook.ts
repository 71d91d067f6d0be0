import type { InboundEvent } from '../core/adapterTypes';

interface MessagingEvent {
  sender?: { id?: string };
  timestamp?: number;
  message?: { mid?: string; text?: string; is_echo?: boolean };
  postback?: { mid?: string; title?: string; payload?: string };
}

/** `entry[].messaging[]` into messages; echoes, deliveries and reads are skipped, `mid` is the event id. */
export function parseMessengerWebhook(body: unknown): InboundEvent[] {
  const events: InboundEvent[] = [];
  const entries = (body as { entry?: Array<{ messaging?: MessagingEvent[] }> })?.entry ?? [];
  for (const entry of Array.isArray(entries) ? entries : []) {
    for (const item of entry.messaging ?? []) {
      const customerId = item.sender?.id;
      const text = item.message?.text ?? item.postback?.payload ?? item.postback?.title;
      const mid = item.message?.mid ?? item.postback?.mid;
      if (!customerId || item.message?.is_echo || typeof text !== 'string' || !mid) continue;
      events.push({ kind: 'message', eventId: mid, customerId, text, timestamp: item.timestamp ?? Date.now() });
    }
  }
  return events;
}
