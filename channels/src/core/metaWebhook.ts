import type { HandshakeQuery, VerifyInput } from './adapterTypes';
import { hmacSha256, header, safeEqual } from './hmac';

/** Messenger and WhatsApp: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body, app secret)>`. */
export function verifyHubSignature({ rawBody, headers }: VerifyInput, appSecret: string): boolean {
  const signature = header(headers, 'x-hub-signature-256');
  if (!signature?.startsWith('sha256=') || !appSecret) return false;
  return safeEqual(signature.slice('sha256='.length), hmacSha256(appSecret, rawBody, 'hex'));
}

/** Meta's subscription check: echo the challenge when the verify token matches, else 403. */
export function hubHandshake(query: HandshakeQuery, verifyToken: string): { status: number; body: string } {
  const ok = query['hub.mode'] === 'subscribe' && typeof query['hub.verify_token'] === 'string' && safeEqual(query['hub.verify_token'], verifyToken);
  return ok ? { status: 200, body: String(query['hub.challenge'] ?? '') } : { status: 403, body: 'verify token mismatch' };
}

/** Meta's error body: `{"error":{"message","type","code","error_subcode"}}`. */
export function metaError(body: unknown): { code?: number; subcode?: number; message: string } {
  const error = (body as { error?: { code?: number; error_subcode?: number; message?: string } } | undefined)?.error;
  return { code: error?.code, subcode: error?.error_subcode, message: error?.message ?? 'unknown error' };
}

export const graphVersion = 'v21.0';
export const defaultGraphUrl = 'https://graph.facebook.com';
export const dayMs = 24 * 3600 * 1000;
