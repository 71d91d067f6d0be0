import { describe, expect, it } from 'vitest';
import { sameSecret } from './sameSecret';

describe('comparing secrets', () => {
  it('says yes only for the very same secret', () => {
    const key = 'cf_3dJ8x2Lq9ZkVb7Wm1Np4Rt6Ys0Ua5Hc8Ge2Fi7Dj';
    expect(sameSecret(key, key)).toBe(true);
    expect(sameSecret(Buffer.from(key), key)).toBe(true);
    expect(sameSecret(key, `${key.slice(0, -1)}k`)).toBe(false);
    expect(sameSecret(key, key.toUpperCase())).toBe(false);
  });

  it('answers (never throws) when the lengths differ, for empty and non-ASCII secrets too', () => {
    expect(sameSecret('short', 'a much longer secret')).toBe(false);
    expect(sameSecret('', 'x')).toBe(false);
    expect(sameSecret('', '')).toBe(true);
    expect(sameSecret('clé-é', 'clé-é')).toBe(true);
    expect(sameSecret('clé-é', 'cle-e')).toBe(false);
    expect(sameSecret('\u0000', '')).toBe(false);
  });
});
