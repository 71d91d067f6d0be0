import type { InboundEvent } from '../core/adapterTypes';

interface Activity {
  type?: string;
  id?: string;
  timestamp?: string;
  serviceUrl?: string;
  channelId?: string;
  from?: { id?: string; name?: string };
  recipient?: { id?: string };
  conversation?: { id?: string };
  text?: string;
}

/** One Activity per request: a `message` from a user becomes a contact message with its conversation reference. */
export function parseBotframeworkActivity(body: unknown): InboundEvent[] {
  const a = body as Activity;
  if (a?.type !== 'message' || !a.id || !a.from?.id || typeof a.text !== 'string' || !a.serviceUrl || !a.conversation?.id) return [];
  return [
    {
      kind: 'message',
      eventId: `${a.conversation.id}|${a.id}`,
      customerId: a.from.id,
      text: a.text,
      timestamp: Date.parse(a.timestamp ?? '') || Date.now(),
      ...(a.from.name ? { name: a.from.name } : {}),
      channelData: { serviceUrl: a.serviceUrl, conversationId: a.conversation.id, botId: a.recipient?.id ?? '', channelId: a.channelId ?? '' },
    },
  ];
}
