/** Retry-After in seconds or an HTTP date, as milliseconds from now. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Network failures and timeouts are always worth another try. */
export const networkFailure = (error: unknown) => ({ ok: false as const, permanent: false, reason: `network: ${(error as Error).message}` });
