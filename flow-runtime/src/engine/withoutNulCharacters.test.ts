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
});
