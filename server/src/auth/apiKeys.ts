import { createHash, randomBytes } from 'node:crypto';

export const apiRoles = ['owner', 'admin', 'designer', 'staff'] as const;
export type ApiRole = (typeof apiRoles)[number];

/** A new secret key; only its hash is stored. */
export function newApiKeySecret(): string {
  return `cf_${randomBytes(32).toString('base64url')}`;
}

/**
 * SHA-256 of a key (32 random bytes, so no salt or slow hash is needed). Organisation keys are
 * found by this hash in an index: what a lookup's timing could reveal is about the hash, which
 * says nothing about any key.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
