import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sortedOrder } from './sortCodes';

const sortCodes = (codes: string[]) => Array.from(sortedOrder(codes), (i) => codes[i]!);

const randomCode = (alphabet: string, min: number, max: number) =>
  Array.from({ length: randomInt(min, max + 1) }, () => alphabet[randomInt(alphabet.length)]).join('');

describe('sorting imported codes', () => {
  it('orders them exactly as a plain sort would, whatever they share', () => {
    const files = [
      // random codes of mixed lengths and characters
      Array.from({ length: 20_000 }, () => randomCode('ABCabc019@#._-', 4, 12)),
      // a shared prefix, then a counter: the key characters tie in runs
      Array.from({ length: 20_000 }, (_, i) => `XMAS-2024-${String(i).padStart(6, '0')}`),
      // codes that are prefixes of each other, and repeats
      ['ABCD', 'ABC', 'ABCDE', 'AB', 'ABCD', 'ABCDA', 'ABCC'],
      // beyond ASCII: falls back to the plain sort
      ['ÉTÉ1', 'ETE1', 'été2', 'ZZZ'],
    ];
    for (const codes of files) expect(sortCodes(codes)).toEqual(codes.slice().sort());
  });

  it('keeps equal codes in the order they came (the first of a repeat is the one kept)', () => {
    const codes = ['B-2', 'A-1', 'B-2', 'C-3', 'A-1', 'B-2'];
    expect(Array.from(sortedOrder(codes))).toEqual([1, 4, 0, 2, 5, 3]);
    const tied = Array.from({ length: 5000 }, (_, i) => `SAME-PREFIX-${i % 50}`);
    const order = Array.from(sortedOrder(tied));
    expect(order).toEqual(Array.from(tied.keys()).sort((a, b) => (tied[a]! < tied[b]! ? -1 : tied[a]! > tied[b]! ? 1 : a - b)));
  });
});
