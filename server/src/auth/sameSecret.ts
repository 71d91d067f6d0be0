import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets (keys, key hashes, tokens, signatures) in time that depends on neither's
 * content nor length: both are hashed to 32 bytes first, so `timingSafeEqual` never sees different
 * lengths (it would throw, and an early length check would tell an attacker the length).
 */
export function sameSecret(given: string | Buffer, expected: string | Buffer): boolean {
  const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
