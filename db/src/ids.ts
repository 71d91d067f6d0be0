import { randomFillSync } from 'node:crypto';

const base32 = '0123456789abcdefghjkmnpqrstvwxyz';

let lastMs = 0;
let sequence = 0;

/**
 * Time-ordered id (creation order sorts by id within a process, even within one millisecond),
 * e.g. `cpn_01jd…`: 10 chars of time, 4 of sequence, 12 random (60 bits).
 */
export function newId(prefix: string): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else sequence++;
  return `${prefix}_${encodeBase32(lastMs, 10)}${encodeBase32(sequence, 4)}${randomBase32(12)}`;
}

function encodeBase32(value: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = base32[value % 32] + out;
    value = Math.floor(value / 32);
  }
  return out;
}

// Random bytes are drawn from the CSPRNG in blocks and each handed out once: one system call per
// block instead of one per id (an offer makes two or three ids and a token).
const pool = Buffer.alloc(8192);
let poolAt = pool.length;

function randomSlice(length: number): Buffer {
  if (poolAt + length > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const slice = pool.subarray(poolAt, poolAt + length);
  poolAt += length;
  return slice;
}

function randomBase32(length: number): string {
  let out = '';
  for (const byte of randomSlice(length)) out += base32[byte & 31];
  return out;
}

/** Unguessable bearer token (192 bits), URL-safe. */
export function newToken(): string {
  return randomSlice(24).toString('base64url');
}
