import { describe, expect, it } from 'vitest';
import { parseMessengerWebhook } from './parseMessengerWebhook';
import { classifyMessengerError } from './classifyMessengerError';

describe('Messenger webhooks', () => {
  it('keep customers’ messages and skip echoes, deliveries and reads', () => {
    const events = parseMessengerWebhook({
      object: 'page',
      entry: [
        {
          id: 'PAGE',
          messaging: [
            { sender: { id: 'P1' }, timestamp: 1700000000000, message: { mid: 'm1', text: 'coupon' } },
            { sender: { id: 'PAGE' }, recipient: { id: 'P1' }, message: { mid: 'm2', text: 'our reply', is_echo: true } },
            { sender: { id: 'P1' }, delivery: { mids: ['m2'] } },
            { sender: { id: 'P1' }, read: { watermark: 1 } },
          ],
        },
      ],
    });
    expect(events).toEqual([{ kind: 'message', eventId: 'm1', customerId: 'P1', text: 'coupon', timestamp: 1700000000000 }]);
  });

  it('errors: rate limits and temporary failures are retried, blocked recipients and bad tokens are not', () => {
    expect(classifyMessengerError(400, { error: { code: 613, message: 'rate' } }, '2')).toMatchObject({ permanent: false, retryAfterMs: 2000 });
    expect(classifyMessengerError(500, { error: { code: 1200, message: 'temp' } }, null)).toMatchObject({ permanent: false });
    for (const [code, subcode] of [[551], [200, 1545041], [10, 2018278], [190], [100, 2018001]])
      expect(classifyMessengerError(400, { error: { code, error_subcode: subcode, message: 'no' } }, null)).toMatchObject({ permanent: true });
  });
});
