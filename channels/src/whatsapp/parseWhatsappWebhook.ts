import type { InboundEvent } from '../core/adapterTypes';
import { whatsappStatusPermanent } from './classifyWhatsappError';

interface Value {
  contacts?: Array<{ wa_id?: string; profile?: { name?: string } }>;
  messages?: Array<{ from?: string; id?: string; timestamp?: string; type?: string; text?: { body?: string }; button?: { text?: string }; interactive?: { button_reply?: { title?: string } } }>;
  statuses?: Array<{ id?: string; status?: string; recipient_id?: string; errors?: Array<{ code?: number; title?: string; message?: string }> }>;
}

/**
 * `entry[].changes[].value`: text messages (wamid = event id, profile name kept), and failed
 * statuses with errors as delivery failures. Sent/delivered/read statuses are skipped.
 */
export function parseWhatsappWebhook(body: unknown): InboundEvent[] {
  const events: InboundEvent[] = [];
  const entries = (body as { entry?: Array<{ changes?: Array<{ value?: Value }> }> })?.entry ?? [];
  for (const entry of Array.isArray(entries) ? entries : []) {
    for (const change of entry.changes ?? []) {
      const value = change.value ?? {};
      const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
      for (const m of value.messages ?? []) {
        const text = m.text?.body ?? m.button?.text ?? m.interactive?.button_reply?.title;
        if (!m.from || !m.id || typeof text !== 'string') continue;
        const name = names.get(m.from);
        events.push({ kind: 'message', eventId: m.id, customerId: m.from, text, timestamp: Number(m.timestamp ?? 0) * 1000 || Date.now(), ...(name ? { name } : {}) });
      }
      for (const s of value.statuses ?? []) {
        if (s.status !== 'failed' || !s.id || !s.recipient_id) continue;
        const error = s.errors?.[0];
        events.push({
          kind: 'delivery_failed',
          eventId: `${s.id}.failed`,
          customerId: s.recipient_id,
          messageId: s.id,
          reason: `whatsapp ${error?.code ?? 'unknown'}: ${error?.message ?? error?.title ?? 'failed'}`,
          permanent: whatsappStatusPermanent(error?.code),
        });
      }
    }
  }
  return events;
}
