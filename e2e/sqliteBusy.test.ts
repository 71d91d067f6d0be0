import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../flow-runtime/src/testing/throwawayRedis';
import '../server/src/testing/providedContext';
import { startAppProcess, type AppProcess } from './support/appProcess';

const dataDir = mkdtempSync(join(tmpdir(), 'couponflow-busy-'));
const apps: AppProcess[] = [];

afterAll(async () => {
  for (const app of apps) app.kill('SIGKILL');
  await Promise.all(apps.map((app) => app.exited));
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(app: AppProcess, method: string, path: string, key: string | undefined, json?: unknown) {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), 'Content-Type': 'application/json', Accept: 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

describe('two server processes writing to one SQLite file at once', () => {
  it('wait for each other’s write lock: every request answers, none fails', async () => {
    const env = { REDIS_URL: inject('redisUrl'), REDIS_PREFIX: `busy${Date.now()}`, RATE_LIMIT_FAILED_PER_MINUTE: '0', WEBCHAT_MESSAGES_PER_MINUTE: '0' };
    apps.push(await startAppProcess(dataDir, await freePort(), env));
    apps.push(await startAppProcess(dataDir, await freePort(), env));
    const [a, b] = apps as [AppProcess, AppProcess];
    const adminKey = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
    const { body: created } = await call(a, 'POST', '/api/v1/orgs', adminKey, { name: 'Busy shop' });
    const owner = created.apiKey as string;
    const { body: inbox } = await call(b, 'POST', '/api/v1/inboxes', owner, { channel: 'webchat', name: 'Web', credentials: {} });
    const { body: coupon } = await call(a, 'POST', '/api/v1/coupons', owner, {
      name: 'Busy',
      code: { type: 'unique', length: 10 },
      activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null },
      totalLimit: 300,
    });
    expect((await call(a, 'POST', `/api/v1/coupons/${coupon.id}/codes`, owner, { generate: 2000 })).status).toBe(201);

    // Both processes take writes at once: pools grow, customers get offers and redeem them.
    const statuses = new Map<string, number>();
    const count = (what: string, status: number) => statuses.set(`${what} ${status}`, (statuses.get(`${what} ${status}`) ?? 0) + 1);
    const customer = async (i: number) => {
      const [mine, other] = i % 2 === 0 ? [a, b] : [b, a];
      const offer = await call(mine, 'POST', `/api/v1/coupons/${coupon.id}/distributions`, owner, { customerId: `c${i}`, inboxId: inbox.id });
      count('offer', offer.status);
      if (offer.status !== 201) return;
      const redeemed = await call(other, 'POST', `/r/${offer.body.token}/redeem`, undefined);
      count('redeem', redeemed.status);
    };
    const poolWriter = async () => {
      for (let i = 0; i < 10; i++) count('pool', (await call(i % 2 ? a : b, 'POST', `/api/v1/coupons/${coupon.id}/codes`, owner, { generate: 20_000 })).status);
    };
    const lanes = Array.from({ length: 16 }, async (_, lane) => {
      for (let i = lane; i < 400; i += 16) await customer(i);
    });
    await Promise.all([...lanes, poolWriter()]);

    console.log(`sqlite busy: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')}`);
    // Every request answered as the rules say; none failed on the other process's lock.
    expect(Object.fromEntries(statuses)).toEqual({
      'pool 201': 10,
      'offer 201': expect.any(Number),
      'offer 409': expect.any(Number),
      'redeem 200': 300,
      ...(statuses.has('redeem 409') ? { 'redeem 409': expect.any(Number) } : {}),
    });
    expect(statuses.get('offer 201')! + statuses.get('offer 409')!).toBe(400);
    // Exactly the limit redeemed across both processes.
    const stats = await call(a, 'GET', `/api/v1/coupons/${coupon.id}/stats`, owner);
    expect(stats.body.redeemed).toBe(300);
  });
});
