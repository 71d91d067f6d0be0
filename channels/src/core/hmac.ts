import { createHmac, timingSafeEqual } from 'node:crypto';

/** Constant-time comparison of two strings (false when the lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export const hmacSha256 = (secret: string, body: Buffer, encoding: 'hex' | 'base64') => createHmac('sha256', secret).update(body).digest(encoding);

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
