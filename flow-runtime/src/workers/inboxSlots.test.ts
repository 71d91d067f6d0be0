import { describe, expect, it } from 'vitest';
import { inboxSlots } from './inboxSlots';

describe('inbox slots of an outbound worker', () => {
  it('lets one inbox hold its share only, and frees a slot once (not twice) when its send ends', () => {
    const slots = inboxSlots(2);
    const first = slots.take('slow-inbox');
    const second = slots.take('slow-inbox');
    expect(first && second).toBeTruthy();
    expect(slots.take('slow-inbox')).toBeNull();
    expect(slots.take('other-inbox')).not.toBeNull();
    first!();
    first!();
    expect(slots.take('slow-inbox')).not.toBeNull();
    expect(slots.take('slow-inbox')).toBeNull();
  });
});
