import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ApiError } from './apiError';

/**
 * A plain per-client request budget (public web chat posts), shared by every server process in
 * Redis; while Redis is away each process counts in memory.
 */
export class ClientRateLimiter {
  private readonly limiter: RateLimiterAbstract | null;

  constructor(name: string, perMinute: number, store?: { redis: Redis; prefix: string }) {
    if (perMinute <= 0) this.limiter = null;
    else {
      const memory = new RateLimiterMemory({ points: perMinute, duration: 60 });
      this.limiter = store
        ? new RateLimiterRedis({ storeClient: store.redis, keyPrefix: `${store.prefix}:${name}`, points: perMinute, duration: 60, insuranceLimiter: memory })
        : memory;
    }
  }

  async consume(client: string): Promise<void> {
    if (!this.limiter) return;
    try {
      await this.limiter.consume(client);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new ApiError(429, 'rate_limited', `Too many requests; try again in ${seconds} s`, [], { 'Retry-After': String(seconds) });
    }
  }
}
