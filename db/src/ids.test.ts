import { describe, expect, it } from 'vitest';
import { encodeBase32, newId, newToken } from './ids';

describe('ids and tokens', () => {
  it('makes ids that carry their creation time and sort in creation order, within one millisecond too', () => {
    const before = Date.now();
    const ids = Array.from({ length: 5000 }, () => newId('rdm'));
    const after = Date.now();
    for (const id of ids) expect(id).toMatch(/^rdm_[0-9a-hjkmnp-tv-z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const time = ids[0]!.slice(4, 14);
    expect(time >= encodeBase32(before, 10) && time <= encodeBase32(after, 10)).toBe(true);
  });

  it('draws every random digit of an id evenly from the alphabet', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) for (const digit of newId('x').slice(16)) counts.set(digit, (counts.get(digit) ?? 0) + 1);
    expect(counts.size).toBe(32);
    // 240,000 digits: 7,500 expected each; a fair draw stays well within ±10%.
    for (const n of counts.values()) expect(Math.abs(n - 7500)).toBeLessThan(750);
  });

  it('makes URL-safe tokens of 192 bits, never the same twice', () => {
    const tokens = Array.from({ length: 2000 }, newToken);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});
