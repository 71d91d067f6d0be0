import { metaError } from '../core/metaWebhook';
import { retryAfterMs } from '../core/httpErrors';

const retryable = new Set([130429, 131056, 131057, 80007, 4, 1, 2]);

/** channel-specs.md §3: throughput and service errors are retried; the rest is final. */
export function classifyWhatsappError(status: number, body: unknown, retryAfter: string | null) {
  const { code, message } = metaError(body);
  const reason = `whatsapp ${code ?? status}: ${message}`;
  if (status === 429 || status === 503 || status >= 500 || (code !== undefined && retryable.has(code)))
    return { ok: false as const, permanent: false, reason, retryAfterMs: retryAfterMs(retryAfter) };
  return { ok: false as const, permanent: true, reason };
}

/** A code from `statuses[].errors` (asynchronous): permanent unless it is one of the throughput codes. */
export const whatsappStatusPermanent = (code: number | undefined) => code === undefined || !retryable.has(code);
