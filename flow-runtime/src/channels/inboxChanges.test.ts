import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { inboxChanges } from './inboxChanges';

const connections: Redis[] = [];
afterEach(() => {
  for (const connection of connections.splice(0)) connection.disconnect();
});
const redis = (options: { lazyConnect?: boolean; enableOfflineQueue?: boolean } = {}) => {
  const connection = new Redis(inject('redisUrl'), options);
  connections.push(connection);
  return connection;
};

/** One process of an instance: its subscriber and its publishing connection (given, or a working one). */
function processOf(prefix: string, publisher = redis()) {
  return inboxChanges(redis(), publisher, prefix, { confirmWithinMs: 500 });
}

async function allLive(...processes: Array<{ isLive(): boolean }>) {
  for (let i = 0; i < 500 && !processes.every((p) => p.isLive()); i++) await new Promise((r) => setTimeout(r, 10));
  expect(processes.map((p) => p.isLive())).toEqual(processes.map(() => true));
}

describe('inbox changes announced over Redis', () => {
  it('an announcement resolves once every listening process has let go of what it read', async () => {
    const prefix = `t${randomUUID()}`;
    const [api, webhooks, workers] = [processOf(prefix), processOf(prefix), processOf(prefix)];
    await allLive(api, webhooks, workers);
    const before = [webhooks.generation(), workers.generation()];
    await api.announce('inb_1');
    expect(webhooks.generation()).toBeGreaterThan(before[0]!);
    expect(workers.generation()).toBeGreaterThan(before[1]!);
  });

  it('a process that hears but cannot confirm makes the announcement fail, so the API can say so', async () => {
    const prefix = `t${randomUUID()}`;
    // Its publishing connection never connects and queues nothing: every confirmation it sends fails.
    const [api, webhooks, stuck] = [processOf(prefix), processOf(prefix), processOf(prefix, redis({ lazyConnect: true, enableOfflineQueue: false }))];
    await allLive(api, webhooks, stuck);
    await expect(api.announce('inb_1')).rejects.toThrow('2 of 3 processes confirmed');
  });

  it('another instance (another prefix) hears none of it', async () => {
    const otherPrefix = `t${randomUUID()}`;
    const [api, otherApi, other] = [processOf(`t${randomUUID()}`), processOf(otherPrefix), processOf(otherPrefix)];
    await allLive(api, otherApi, other);
    const before = other.generation();
    await api.announce('inb_1');
    // Messages reach a subscriber in order: once it confirmed this later one, the earlier one would have been heard.
    await otherApi.announce('inb_2');
    expect(other.generation()).toBe(before + 1);
  });
});
