import { retryAfterMs } from '../core/httpErrors';

interface ConnectorError {
  statusCode?: number;
  message?: string;
  response?: { headers?: { get?(name: string): string | undefined | null }; bodyAsText?: string | null };
}

/** channel-specs.md §4: 429 (Retry-After), 412, 5xx and network errors are retried; 401/403 and other 4xx are final. */
export function classifyBotframeworkError(error: unknown) {
  const e = error as ConnectorError;
  const status = e.statusCode;
  const reason = `botframework ${status ?? 'network'}: ${e.response?.bodyAsText ?? e.message ?? 'error'}`.slice(0, 500);
  if (status === undefined || status === 429 || status === 412 || status >= 500)
    return { ok: false as const, permanent: false, reason, retryAfterMs: retryAfterMs(e.response?.headers?.get?.('retry-after') ?? null) };
  return { ok: false as const, permanent: true, reason };
}
