/** Thrown for a transient refusal so BullMQ retries the job; carries the platform's Retry-After. */
export class TransientDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Exponential backoff from 1 s, or exactly what the platform asked for. */
export function outboundBackoff(attemptsMade: number, _type: string | undefined, error: Error | undefined): number {
  if (error instanceof TransientDeliveryError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  return Math.min(60_000, 1000 * 2 ** Math.max(0, attemptsMade - 1));
}
