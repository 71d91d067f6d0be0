import type { InboundEvent } from '../core/adapterTypes';

interface LineEvent {
  type?: string;
  timestamp?: number;
  webhookEventId?: string;
  replyToken?: string;
  source?: { type?: string; userId?: string };
  message?: { type?: string; id?: string; text?: string };
  postback?: { data?: string };
}

/** `events[]` text messages from users (`webhookEventId` = event id, the reply token kept); `events:[]` is LINE's check. */
export function parseLineWebhook(body: unknown): InboundEvent[] {
  const events = (body as { events?: LineEvent[] })?.events ?? [];
  const out: InboundEvent[] = [];
  for (const e of Array.isArray(events) ? events : []) {
    const customerId = e.source?.userId;
    const text = e.type === 'message' && e.message?.type === 'text' ? e.message.text : e.type === 'postback' ? e.postback?.data : undefined;
    const eventId = e.webhookEventId ?? e.message?.id;
    if (!customerId || typeof text !== 'string' || !eventId) continue;
    const timestamp = e.timestamp ?? Date.now();
    out.push({
      kind: 'message',
      eventId,
      customerId,
      text,
      timestamp,
      ...(e.replyToken ? { channelData: { replyToken: e.replyToken, replyTokenAt: timestamp } } : {}),
    });
  }
  return out;
}
