import { randomBytes } from 'node:crypto';

/** SPEC §2.2: the default alphabet leaves out 0/O/1/I so codes read aloud and typed back survive. */
export const charsets = {
  alphanumeric: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789',
  numeric: '0123456789',
  letters: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
} as const;
export type Charset = keyof typeof charsets;

/** Characters any code (custom, imported or generated) may use. */
export const codePattern = /^[A-Za-z0-9@#._-]+$/;
export const codeMinLength = 4;
export const codeMaxLength = 32;

export function codeSpace(charset: Charset, length: number): number {
  return charsets[charset].length ** length;
}

/**
 * `count` random codes of `length` characters from `charset` (node:crypto), each prefixed.
 * Rejection sampling keeps every character equally likely for alphabets that do not divide 256.
 */
export function randomCodes(count: number, charset: Charset, length: number, prefix = ''): string[] {
  const alphabet = charsets[charset];
  const size = alphabet.length;
  const usable = 256 - (256 % size);
  const codes: string[] = new Array(count);
  let pool = randomBytes(Math.ceil(count * length * (256 / usable)) + 64);
  let at = 0;
  for (let i = 0; i < count; i++) {
    let code = prefix;
    for (let c = 0; c < length; c++) {
      let byte: number;
      do {
        if (at >= pool.length) {
          pool = randomBytes(4096);
          at = 0;
        }
        byte = pool[at++]!;
      } while (byte >= usable);
      code += alphabet[byte % size];
    }
    codes[i] = code;
  }
  return codes;
}
