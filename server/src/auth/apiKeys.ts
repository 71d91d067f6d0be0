import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const apiRoles = ['owner', 'admin', 'designer', 'staff'] as const;
export type ApiRole = (typeof apiRoles)[number];

/** A new secret key; only its hash is stored. */
export function newApiKeySecret(): string {
  return `cf_${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
