import { describe, expect, it } from 'vitest';
import type { Truncation } from './adapterTypes';
import { fit } from './truncate';

describe('fitting a field to a platform limit', () => {
  it('leaves a short value alone and cuts a long one to the limit, ellipsis included, without splitting an emoji', () => {
    const cuts: Truncation[] = [];
    expect(fit('short', 10, 'text', cuts)).toBe('short');
    expect(fit('🎁'.repeat(30), 20, 'title', cuts)).toBe(`${'🎁'.repeat(19)}…`);
    expect(cuts).toEqual([{ field: 'title', limit: 20, length: 30 }]);
  });
});
