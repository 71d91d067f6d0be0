import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ApiError } from './apiError';

/**
 * SPEC §2.5: unknown tokens and codes are counted per client (address, and API key where there is
 * one) so they cannot be guessed. Only failures are counted; a client past its limit is refused
 * before any look-up, valid or not. The count lives in Redis, so every server process shares it;
 * while Redis is away each process counts in memory.
 *
 * A count read below the limit is trusted for `recentForMs` (every page view asked Redis: a tenth
 * of a page view's CPU). A failure this process counts updates it at once, so a client over the
 * limit through other processes gets past this one for that long at most, and only until its first
 * failure here: guessing stays bounded as before.
 */
export class FailedLookupLimiter {
  private readonly limiter: RateLimiterAbstract | null;
  private readonly points: number;
  private readonly redis: Redis | null;
  private readonly recent = new Map<string, { consumed: number; until: number }>();

  constructor(perMinute: number, store?: { redis: Redis; prefix: string }) {
    this.points = perMinute;
    this.redis = store?.redis ?? null;
    if (perMinute <= 0) this.limiter = null;
    else {
      const memory = new RateLimiterMemory({ points: perMinute, duration: 60 });
      this.limiter = store
        ? new RateLimiterRedis({ storeClient: store.redis, keyPrefix: `${store.prefix}:failed-lookups`, points: perMinute, duration: 60, insuranceLimiter: memory })
        : memory;
    }
  }

  /** Refuses (429 with Retry-After) a client that has used up its failed look-ups. */
  async guard(clients: string[]): Promise<void> {
    if (!this.limiter) return;
    for (const client of clients) {
      const consumed = this.recentCount(client) ?? (await this.consumedInRedis(client));
      if (consumed !== undefined && consumed < this.points) continue;
      const state = await this.limiter.get(client).catch(() => null);
      if (state && state.consumedPoints >= this.points) throw tooMany(state.msBeforeNext);
    }
  }

  /**
   * Every page view asks this, so it is one plain GET of the limiter's own counter rather than the
   * library's MULTI (GET, PTTL, EXEC); only a client at its limit goes on to the full read (for its
   * Retry-After). Undefined when Redis cannot answer (the in-memory count decides then).
   */
  private async consumedInRedis(client: string): Promise<number | undefined> {
    if (this.redis?.status !== 'ready' || !this.limiter) return undefined;
    try {
      const consumed = Number((await this.redis.get(this.limiter.getKey(client))) ?? 0);
      this.remember(client, consumed);
      return consumed;
    } catch {
      return undefined;
    }
  }

  /** Counts one failed look-up against each client; 429 once one is past its limit. */
  async failed(clients: string[]): Promise<void> {
    if (!this.limiter) return;
    for (const client of clients) {
      try {
        this.remember(client, (await this.limiter.consume(client)).consumedPoints);
      } catch (rejection) {
        this.recent.delete(client);
        if (rejection instanceof RateLimiterRes) throw tooMany(rejection.msBeforeNext);
        throw rejection;
      }
    }
  }

  private recentCount(client: string): number | undefined {
    const known = this.recent.get(client);
    if (!known) return undefined;
    if (known.until > Date.now()) return known.consumed;
    this.recent.delete(client);
    return undefined;
  }

  private remember(client: string, consumed: number): void {
    if (consumed >= this.points) return void this.recent.delete(client);
    // Bounded: many distinct clients (a spread-out attack) only make this process ask Redis again.
    if (this.recent.size >= maxRecentClients) this.recent.clear();
    this.recent.set(client, { consumed, until: Date.now() + recentForMs });
  }
}

const recentForMs = 1000;
const maxRecentClients = 10_000;

function tooMany(msBeforeNext: number): ApiError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new ApiError(429, 'rate_limited', `Too many failed look-ups; try again in ${seconds} s`, [], { 'Retry-After': String(seconds) });
}

/** The clients a request counts as: its address, and its API key when it has one. */
export function lookupClients(req: { ip?: string | undefined; principal?: { kind: string; keyId?: string } | undefined }): string[] {
  const clients = [`ip:${req.ip ?? 'unknown'}`];
  if (req.principal?.kind === 'org' && req.principal.keyId) clients.push(`key:${req.principal.keyId}`);
  return clients;
}
