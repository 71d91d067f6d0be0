import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isoInstant } from './isoInstant';

describe('writing instants for an export', () => {
  it('writes exactly what toISOString writes, on any day, before 1970 and past 9999 too', () => {
    const instants = [0, 1, 86_399_999, 86_400_000, 951_782_400_000, 253_402_300_799_999, 253_402_300_800_000, -1, -86_400_001, 8_640_000_000_000_000];
    for (let i = 0; i < 20_000; i++) instants.push(randomInt(0, 2 ** 47), Date.now() + randomInt(-1e9, 1e9));
    const wrong = instants.filter((ms) => isoInstant(new Date(ms)) !== new Date(ms).toISOString());
    expect(wrong).toEqual([]);
  });

  it('writes an empty cell for a missing instant', () => {
    expect(isoInstant(null)).toBe('');
  });
});
