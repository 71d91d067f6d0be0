import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * Writes a `code` header and distinct random codes (one per line) to `path`, filling it up to
 * `maxBytes`. Codes are random base-32 with the line number mixed in so they never repeat.
 */
export function writeCodesCsv(path: string, { maxBytes, codeLength }: { maxBytes: number; codeLength: number }) {
  const header = 'code\n';
  const lines = Math.floor((maxBytes - header.length) / (codeLength + 1));
  const out = Buffer.alloc(header.length + lines * (codeLength + 1));
  let at = out.write(header);
  const random = randomBytes(lines * codeLength);
  for (let line = 0; line < lines; line++) {
    // The first 5 characters spell the line number in base 32 (up to 33 million lines): unique by construction.
    let n = line;
    for (let c = 0; c < codeLength; c++) {
      const digit = c < 5 ? n % 32 : random[line * codeLength + c]! % 32;
      if (c < 5) n = Math.floor(n / 32);
      out[at++] = alphabet.charCodeAt(digit);
    }
    out[at++] = 0x0a;
  }
  writeFileSync(path, out);
  return { lines, bytes: out.length };
}
