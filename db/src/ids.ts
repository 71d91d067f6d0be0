import { randomBytes } from 'node:crypto';

const base32 = '0123456789abcdefghjkmnpqrstvwxyz';

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = base32[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/** Time-ordered id (creation order sorts by id), e.g. `cpn_01jd…`; 80 random bits. */
export function newId(prefix: string): string {
  const random = randomBytes(10);
  let tail = '';
  for (let i = 0; i < 16; i++) {
    // 16 groups of 5 bits out of 80 random bits
    const bit = i * 5;
    const byte = bit >> 3;
    const word = ((random[byte] ?? 0) << 8) | (random[byte + 1] ?? 0);
    tail += base32[(word >> (11 - (bit & 7))) & 31];
  }
  return `${prefix}_${encodeTime(Date.now())}${tail}`;
}

/** Unguessable bearer token (192 bits), URL-safe. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}
