import { describe, expect, it } from 'vitest';
import { deliveryPace } from './deliveryPace';

/** An inbox's unsent count as the pacing reads it, one value per look. */
const counts = (...values: number[]) => {
  const looks: number[] = [];
  const pending = async () => {
    const value = values[Math.min(looks.length, values.length - 1)]!;
    looks.push(value);
    return value;
  };
  return { pending, looks };
};

describe("a broadcast keeping pace with its inbox's delivery", () => {
  it('goes on at once while the backlog is small', async () => {
    const inbox = counts(400);
    await deliveryPace(inbox.pending, { max: 1000, pollMs: 1 })();
    expect(inbox.looks).toEqual([400]);
  });

  it('waits while the backlog drains, and goes on once it is under the limit', async () => {
    const inbox = counts(1300, 1200, 1200, 1100, 990, 0);
    await deliveryPace(inbox.pending, { max: 1000, pollMs: 1, stalledAfterMs: 60_000 })();
    expect(inbox.looks).toEqual([1300, 1200, 1200, 1100, 990]);
  });

  it('stops holding the chunk back when the count no longer goes down (a stalled platform, a stale count)', async () => {
    const inbox = counts(5000);
    const pace = deliveryPace(inbox.pending, { max: 1000, pollMs: 1, stalledAfterMs: 20 });
    await pace();
    const looked = inbox.looks.length;
    expect(looked).toBeGreaterThan(1);
    await pace();
    await pace();
    expect(inbox.looks).toHaveLength(looked);
  });

  it('is not held by a count it cannot read', async () => {
    const pace = deliveryPace(async () => {
      throw new Error('Redis is away');
    });
    await expect(pace()).resolves.toBeUndefined();
  });
});
