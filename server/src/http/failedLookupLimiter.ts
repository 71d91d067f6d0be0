import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError } from './apiError';

/**
 * SPEC §2.5: unknown tokens and codes are counted per client address so they cannot be guessed.
 * Only failures are counted and only failures are refused: a valid token is never slowed.
 */
export class FailedLookupLimiter {
  private readonly limiter: RateLimiterMemory | null;

  constructor(perMinute: number) {
    this.limiter = perMinute > 0 ? new RateLimiterMemory({ points: perMinute, duration: 60 }) : null;
  }

  /** Counts one failed look-up; throws 429 with Retry-After once the address is past its limit. */
  async failed(address: string): Promise<void> {
    if (!this.limiter) return;
    try {
      await this.limiter.consume(address);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new ApiError(429, 'rate_limited', `Too many failed look-ups; try again in ${seconds} s`, [], { 'Retry-After': String(seconds) });
    }
  }
}
