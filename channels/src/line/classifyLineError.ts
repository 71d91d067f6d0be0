import { retryAfterMs } from '../core/httpErrors';

/** channel-specs.md §2. 409 (retry key already accepted) is success and handled by the caller. */
export function classifyLineError(status: number, body: string, retryAfter: string | null) {
  let message = body;
  try {
    message = (JSON.parse(body) as { message?: string }).message ?? body;
  } catch {
    // not JSON: keep the raw text
  }
  const reason = `line ${status}: ${message}`;
  // A 429 for the monthly quota does not clear until the quota resets.
  if (status === 429 && /monthly limit|quota/i.test(message)) return { ok: false as const, permanent: true, reason };
  if (status === 429 || status >= 500) return { ok: false as const, permanent: false, reason, retryAfterMs: retryAfterMs(retryAfter) };
  return { ok: false as const, permanent: true, reason };
}

export const isInvalidReplyToken = (status: number, body: string) => status === 400 && /invalid reply token/i.test(body);
