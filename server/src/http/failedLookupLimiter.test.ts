import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ApiError } from './apiError';
import { FailedLookupLimiter } from './failedLookupLimiter';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());

/** Two server processes sharing Redis, with a limit of 3 failed look-ups a minute. */
function twoProcesses() {
  const store = { redis, prefix: `test-${randomUUID()}` };
  return [new FailedLookupLimiter(3, store), new FailedLookupLimiter(3, store)] as const;
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof ApiError ? error.status : error),
  );

describe('failed look-ups shared by server processes', () => {
  it('a guesser who used up the limit on one process is refused by the other', async () => {
    const [a, b] = twoProcesses();
    const guesser = ['ip:203.0.113.7'];
    for (let i = 0; i < 3; i++) {
      await a.guard(guesser);
      await a.failed(guesser).catch(() => {});
    }
    expect(await refusal(a.guard(guesser))).toBe(429);
    expect(await refusal(b.guard(guesser))).toBe(429);
  });

  it('a process that admitted a client a moment ago learns at its first failure there that the client is over the limit', async () => {
    const [a, b] = twoProcesses();
    const guesser = ['ip:198.51.100.4'];
    // b sees the client fresh, and trusts that count for a moment
    await b.guard(guesser);
    for (let i = 0; i < 3; i++) await a.failed(guesser).catch(() => {});
    expect(await refusal(b.failed(guesser))).toBe(429);
    expect(await refusal(b.guard(guesser))).toBe(429);
  });

  it('counts every failure a process makes itself at once, however recent its last look', async () => {
    const [a] = twoProcesses();
    const guesser = ['ip:192.0.2.55'];
    await a.guard(guesser);
    await a.failed(guesser);
    await a.failed(guesser);
    expect(await refusal(a.guard(guesser))).toBeNull();
    expect(await refusal(a.failed(guesser))).toBeNull();
    expect(await refusal(a.guard(guesser))).toBe(429);
  });

  it('leaves other clients alone', async () => {
    const [a] = twoProcesses();
    for (let i = 0; i < 3; i++) await a.failed(['ip:192.0.2.1']).catch(() => {});
    expect(await refusal(a.guard(['ip:192.0.2.2']))).toBeNull();
  });
});
