import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sortCodes } from './sortCodes';

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

  it('leaves the list it was given as it was', () => {
    const codes = ['B-2', 'A-1', 'C-3'];
    expect(sortCodes(codes)).toEqual(['A-1', 'B-2', 'C-3']);
    expect(codes).toEqual(['B-2', 'A-1', 'C-3']);
  });
});
