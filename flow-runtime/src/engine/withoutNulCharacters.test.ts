import { describe, expect, it } from 'vitest';
import { withoutNulCharacters } from './withoutNulCharacters';

describe('an inbound message with NUL characters', () => {
  it('arrives without them, everything else as sent', () => {
    const message = {
      type: 'message' as const,
      inboxId: 'inb_1',
      customerId: 'ann\u0000',
      eventId: 'evt-1',
      text: 'hel\u0000lo',
      receivedAt: 1_700_000_000_000,
      name: 'Ann\u0000 Lee',
      channelData: { profile: { 'x\u0000': ['a\u0000b', 3, null, true] } },
    };
    expect(withoutNulCharacters(message)).toEqual({
      type: 'message',
      inboxId: 'inb_1',
      customerId: 'ann',
      eventId: 'evt-1',
      text: 'hello',
      receivedAt: 1_700_000_000_000,
      name: 'Ann Lee',
      channelData: { profile: { x: ['ab', 3, null, true] } },
    });
  });

  it('found however deep it sits in the platform’s data', () => {
    const message = { text: 'hi', channelData: { entities: [{ type: 'mention', text: ['ok', 'b\u0000ob'] }] } };
    expect(withoutNulCharacters(message)).toEqual({ text: 'hi', channelData: { entities: [{ type: 'mention', text: ['ok', 'bob'] }] } });
  });

  it('a message without any is passed on as it is', () => {
    const message = { text: 'coupon', channelData: { entities: [{ type: 'mention' }] }, receivedAt: 1 };
    expect(withoutNulCharacters(message)).toBe(message);
  });
});
