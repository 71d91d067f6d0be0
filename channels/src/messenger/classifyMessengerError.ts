import { metaError } from '../core/metaWebhook';
import { retryAfterMs } from '../core/httpErrors';

const retryable = new Set([1200, 2, 4, 613]);

/** channel-specs.md §1: which Send API refusals are worth retrying. */
export function classifyMessengerError(status: number, body: unknown, retryAfter: string | null) {
  const { code, subcode, message } = metaError(body);
  const reason = `messenger ${code ?? status}${subcode ? `/${subcode}` : ''}: ${message}`;
  if (status === 429 || status >= 500 || (code !== undefined && retryable.has(code)))
    return { ok: false as const, permanent: false, reason, retryAfterMs: retryAfterMs(retryAfter) };
  // 551, 200/1545041, 10/2018108, 100/2018001, 10/2018278, 190, 230 and any other 4xx: sending again cannot help.
  return { ok: false as const, permanent: true, reason };
}
