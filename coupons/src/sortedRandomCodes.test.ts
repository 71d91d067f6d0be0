import { describe, expect, it } from 'vitest';
import { sortedRandomCodeGroups, sortedRandomCodes } from './sortedRandomCodes';

const all = (codes: ReturnType<typeof sortedRandomCodes>) => Array.from({ length: codes.size }, (_, i) => codes.code(i));

describe('drawing a batch of pool codes', () => {
  it('hands them back in ascending order, each once, prefixed, in the charset and length asked for', () => {
    for (const [charset, length, pattern] of [
      ['alphanumeric', 10, /^X-[A-HJ-NP-Z2-9]{10}$/],
      ['numeric', 32, /^X-\d{32}$/],
      ['letters', 8, /^X-[A-HJ-NP-Z]{8}$/],
    ] as const) {
      const codes = all(sortedRandomCodes(20_000, charset, length, 'X-'));
      expect(codes).toHaveLength(20_000);
      expect(codes.every((code, i) => i === 0 || codes[i - 1]! < code)).toBe(true);
      expect(codes.filter((code) => !pattern.test(code))).toEqual([]);
    }
  });

  it('drops repeated draws (a small code space repeats often)', () => {
    // 200,000 draws from 1,000,000 codes: about 181,000 distinct.
    const codes = all(sortedRandomCodes(200_000, 'numeric', 6));
    expect(codes.length).toBeGreaterThan(175_000);
    expect(codes.length).toBeLessThan(187_000);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((code, i) => i === 0 || codes[i - 1]! < code)).toBe(true);
  });

  it('draws every character equally often at every position (no modulo bias)', () => {
    expectEvenLetters(all(sortedRandomCodes(20_000, 'letters', 6)));
  });
});

describe('drawing a large batch a group at a time', () => {
  const grouped = (...args: Parameters<typeof sortedRandomCodeGroups>) => [...sortedRandomCodeGroups(...args)].flatMap(all);

  it('hands over every code once, ascending across groups, in small groups', () => {
    const groups = [...sortedRandomCodeGroups(200_000, 'alphanumeric', 10, 'X-')];
    expect(groups.length).toBeGreaterThan(40);
    expect(Math.max(...groups.map((group) => group.size))).toBeLessThan(10_000);
    const codes = groups.flatMap(all);
    expect(codes).toHaveLength(200_000);
    expect(codes.every((code, i) => i === 0 || codes[i - 1]! < code)).toBe(true);
    expect(codes.filter((code) => !/^X-[A-HJ-NP-Z2-9]{10}$/.test(code))).toEqual([]);
  });

  it('drops repeats as a whole draw would, down to codes made of the counted characters alone', () => {
    // 200,000 draws from 1,000,000 codes: about 181,000 distinct
    const codes = grouped(200_000, 'numeric', 6);
    expect(codes.length).toBeGreaterThan(175_000);
    expect(codes.length).toBeLessThan(187_000);
    expect(new Set(codes).size).toBe(codes.length);
    // 20,000 draws from 10,000 four-digit codes, grouped by all four digits: about 8,650 distinct
    const small = grouped(20_000, 'numeric', 4, '', 1);
    expect(small.length).toBeGreaterThan(8_400);
    expect(small.length).toBeLessThan(8_900);
    expect(small.every((code, i) => i === 0 || small[i - 1]! < code)).toBe(true);
  });

  it('draws every character equally often at every position, the counted leading ones too', () => {
    expectEvenLetters(grouped(100_000, 'letters', 6));
  });
});

/** Each of the 24 letters about equally often at each of the codes' 6 positions. */
function expectEvenLetters(codes: string[]): void {
  for (let position = 0; position < 6; position++) {
    const counts = new Map<string, number>();
    for (const code of codes) counts.set(code[position]!, (counts.get(code[position]!) ?? 0) + 1);
    expect(counts.size).toBe(24);
    const expected = codes.length / 24;
    // chi-square with 23 degrees of freedom: 60 is far beyond the 99.99th percentile (≈ 52.6)
    const chiSquare = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(60);
  }
}
