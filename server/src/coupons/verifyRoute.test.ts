import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithKeys, sampleCoupon, startTestServer, type TestServer } from '../testing/testServer';

let server: TestServer;
let keys: Awaited<ReturnType<typeof orgWithKeys>>;
beforeAll(async () => {
  // Behind a proxy: the client address comes from X-Forwarded-For.
  server = await startTestServer({ rateLimitFailedPerMinute: 3, trustProxy: true });
  keys = await orgWithKeys(server);
});
afterAll(() => server.close());

const verify = (key: string, address: string, code: string) =>
  server.call('POST', '/api/v1/verify', { key, json: { code }, headers: { 'X-Forwarded-For': address } });

async function redeemedCode() {
  const coupon = await (await server.call('POST', '/api/v1/coupons', { key: keys.owner, json: sampleCoupon })).json();
  await server.call('POST', `/api/v1/coupons/${coupon.id}/codes`, { key: keys.owner, json: { generate: 5 } });
  const offer = await (await server.call('POST', `/api/v1/coupons/${coupon.id}/distributions`, { key: keys.owner, json: { customerId: 'ann', inboxId: keys.inboxId } })).json();
  const redeemed = await (await server.call('POST', `/r/${offer.token}/redeem`, { headers: { Accept: 'application/json', 'X-Forwarded-For': '10.9.9.9' } })).json();
  return redeemed.code as string;
}

describe('guessing codes at the till', () => {
  it('a staff key that misses too often is refused from any address, before any look-up, even for a real code', async () => {
    const code = await redeemedCode();
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) expect((await verify(keys.staff, address, 'NOPE0000')).status).toBe(404);
    const walked = await verify(keys.staff, '203.0.113.4', code);
    expect(walked.status).toBe(429);
    expect(Number(walked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another staff member at another till verifies the real code.
    const other = await (await server.call('POST', '/api/v1/api-keys', { key: keys.owner, json: { role: 'staff' } })).json();
    const verified = await verify(other.key, '203.0.113.50', code);
    expect(verified.status).toBe(200);
    expect(await verified.json()).not.toHaveProperty('token');
  });

  it('an address that misses too often is refused whatever key it uses', async () => {
    for (let i = 0; i < 3; i++) await verify(keys.admin, '198.51.100.7', `MISS000${i}`);
    expect((await verify(keys.owner, '198.51.100.7', 'MISS0009')).status).toBe(429);
  });
});
