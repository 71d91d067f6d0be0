import { randomFillSync } from 'node:crypto';

const base32 = '0123456789abcdefghjkmnpqrstvwxyz';
/** every two base32 digits, by their 10-bit value: ids are pieced from these (an id took ~0.8 µs digit by digit) */
const pairs = Array.from({ length: 1024 }, (_, i) => base32[i >> 5]! + base32[i & 31]!);

let lastMs = 0;
let lastMsText = '';
let sequence = 0;

/**
 * Time-ordered id (creation order sorts by id within a process, even within one millisecond),
 * e.g. `cpn_01jd…`: 10 chars of time, 4 of sequence, 12 random (60 bits).
 */
export function newId(prefix: string): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    lastMsText = encodeBase32(now, 10);
    sequence = 0;
  } else sequence++;
  // The sequence's last four digits, as encodeBase32(sequence, 4) writes them.
  return prefix + '_' + lastMsText + pairs[(sequence >>> 10) & 1023]! + pairs[sequence & 1023]! + randomBase32Of12();
}

export function encodeBase32(value: number, width: number): string {
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

/** The offset in `pool` of `length` fresh random bytes. */
function randomAt(length: number): number {
  if (poolAt + length > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += length;
  return at;
}

/** Twelve random base32 digits, each from the low five bits of one random byte. */
function randomBase32Of12(): string {
  const at = randomAt(12);
  return randomPair(at) + randomPair(at + 2) + randomPair(at + 4) + randomPair(at + 6) + randomPair(at + 8) + randomPair(at + 10);
}

// At module level: tsx names a closure made inside a function on every call (a defineProperty each).
const randomPair = (at: number) => pairs[((pool[at]! & 31) << 5) | (pool[at + 1]! & 31)]!;

/** Unguessable bearer token (192 bits), URL-safe. */
export function newToken(): string {
  const at = randomAt(24);
  return pool.toString('base64url', at, at + 24);
}
