import { describe, expect, it } from 'vitest';
import { parseWhatsappWebhook } from './parseWhatsappWebhook';
import { classifyWhatsappError } from './classifyWhatsappError';

const wrap = (value: object) => ({ object: 'whatsapp_business_account', entry: [{ id: 'W', changes: [{ field: 'messages', value }] }] });

describe('WhatsApp webhooks', () => {
  it('a text message carries the profile name; timestamps are seconds', () => {
    const [event] = parseWhatsappWebhook(wrap({ contacts: [{ wa_id: '155', profile: { name: 'Ana' } }], messages: [{ from: '155', id: 'wamid.1', timestamp: '1700000000', type: 'text', text: { body: 'hi' } }] }));
    expect(event).toEqual({ kind: 'message', eventId: 'wamid.1', customerId: '155', text: 'hi', timestamp: 1700000000000, name: 'Ana' });
  });

  it('sent, delivered and read statuses are skipped; a failed one with errors is a delivery failure', () => {
    const events = parseWhatsappWebhook(
      wrap({
        statuses: [
          { id: 'wamid.a', status: 'delivered', recipient_id: '155' },
          { id: 'wamid.b', status: 'read', recipient_id: '155' },
          { id: 'wamid.c', status: 'failed', recipient_id: '155', errors: [{ code: 131026, title: 'Message undeliverable' }] },
        ],
      }),
    );
    expect(events).toEqual([{ kind: 'delivery_failed', eventId: 'wamid.c.failed', customerId: '155', messageId: 'wamid.c', reason: 'whatsapp 131026: Message undeliverable', permanent: true }]);
  });

  it('errors: throughput codes are retried, the 24 h window and undeliverable are final', () => {
    for (const code of [130429, 131056, 80007]) expect(classifyWhatsappError(400, { error: { code, message: 'x' } }, null)).toMatchObject({ permanent: false });
    for (const code of [131047, 131026, 131048, 368, 190]) expect(classifyWhatsappError(400, { error: { code, message: 'x' } }, null)).toMatchObject({ permanent: true });
  });
});
