import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithKeys, sampleCoupon, startTestServer, type TestServer } from '../testing/testServer';

let server: TestServer;
let keys: Awaited<ReturnType<typeof orgWithKeys>>;
beforeAll(async () => {
  server = await startTestServer();
  keys = await orgWithKeys(server);
});
afterAll(() => server.close());

async function poolCoupon(extra: object = {}) {
  const coupon = await (await server.call('POST', '/api/v1/coupons', { key: keys.owner, json: { ...sampleCoupon, ...extra } })).json();
  await server.call('POST', `/api/v1/coupons/${coupon.id}/codes`, { key: keys.owner, json: { generate: 20 } });
  return coupon.id as string;
}
const distribute = (couponId: string, json: object) => server.call('POST', `/api/v1/coupons/${couponId}/distributions`, { key: keys.owner, json });
const redeem = (token: string) => server.call('POST', `/r/${token}/redeem`, { headers: { Accept: 'application/json' } });

describe('a customer’s way from offer to the till, over HTTP', () => {
  it('offer → redeem → verify, with stats and records along the way', async () => {
    const couponId = await poolCoupon();
    const sent = await distribute(couponId, { customerId: 'alice', inboxId: keys.inboxId, idempotencyKey: 'k1' });
    expect(sent.status).toBe(201);
    const offer = await sent.json();
    expect(offer).toEqual({ id: expect.stringMatching(/^rdm_/), status: 'sent', token: expect.any(String), redeemUrl: `http://couponflow.test/r/${offer.token}` });

    const repeat = await distribute(couponId, { customerId: 'alice', inboxId: keys.inboxId, idempotencyKey: 'k1' });
    expect(repeat.status).toBe(200);
    expect((await repeat.json()).id).toBe(offer.id);

    const redeemed = await redeem(offer.token);
    expect(redeemed.status).toBe(200);
    const { code, status, expiresAt } = await redeemed.json();
    expect({ status, expiresAt }).toEqual({ status: 'redeemed', expiresAt: null });

    const verified = await server.call('POST', '/api/v1/verify', { key: keys.staff, json: { code } });
    expect(verified.status).toBe(200);
    const verifiedBody = await verified.json();
    expect(verifiedBody).toMatchObject({ status: 'verified', customerId: 'alice', code, coupon: { id: couponId, name: 'Summer 10% off' } });
    // staff never see the customer's redeem link
    expect(verifiedBody).not.toHaveProperty('token');
    expect(JSON.stringify(verifiedBody)).not.toContain(offer.token);

    const again = await server.call('POST', '/api/v1/verify', { key: keys.staff, json: { code } });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('already_verified');

    const stats = await (await server.call('GET', `/api/v1/coupons/${couponId}/stats`, { key: keys.designer })).json();
    // the funnel: every step this record reached
    expect(stats).toEqual({ sent: 1, opened: 1, redeemed: 1, verified: 1, expired: 0, revoked: 0 });
    const records = await (await server.call('GET', `/api/v1/coupons/${couponId}/redemptions?status=verified`, { key: keys.admin })).json();
    expect(records.items).toEqual([expect.objectContaining({ id: offer.id, status: 'verified', code })]);
  });

  it('answers 409 with the rule’s reason when distributing is refused', async () => {
    const couponId = await poolCoupon({ perCustomerLimit: 1 });
    const { token } = await (await distribute(couponId, { customerId: 'bob', inboxId: keys.inboxId })).json();
    await redeem(token);
    const res = await distribute(couponId, { customerId: 'bob', inboxId: keys.inboxId });
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('customer_max_uses_reached');
  });

  it('answers 409 coupon_revoked when redeeming a revoked offer', async () => {
    const couponId = await poolCoupon();
    const { token } = await (await distribute(couponId, { customerId: 'carol', inboxId: keys.inboxId })).json();
    const revoked = await server.call('POST', `/api/v1/coupons/${couponId}/revoke`, { key: keys.admin, json: { scope: 'customers', customerIds: ['carol'] } });
    expect(await revoked.json()).toEqual({ revoked: 1 });
    const res = await redeem(token);
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('coupon_revoked');
  });

  it('exports the records as CSV', async () => {
    const couponId = await poolCoupon();
    await distribute(couponId, { customerId: 'dave', inboxId: keys.inboxId });
    const res = await server.call('GET', `/api/v1/coupons/${couponId}/redemptions?format=csv`, { key: keys.owner });
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,dave,${keys.inboxId},webchat,sent,`);
  });

  it('offers only in an inbox of the organisation', async () => {
    const couponId = await poolCoupon();
    const other = await orgWithKeys(server, 'Elsewhere');
    for (const inboxId of ['no-such-inbox', other.inboxId]) {
      const res = await distribute(couponId, { customerId: 'frank', inboxId });
      expect(res.status).toBe(404);
      expect((await res.json()).error.details).toEqual([{ path: 'inboxId', message: 'not an inbox of this organisation' }]);
    }
    const records = await (await server.call('GET', `/api/v1/coupons/${couponId}/redemptions?customerId=frank`, { key: keys.owner })).json();
    expect(records.items).toEqual([]);
  });

  it('verifies by redemption id, and answers 404 for an unknown code', async () => {
    const couponId = await poolCoupon();
    const offer = await (await distribute(couponId, { customerId: 'erin', inboxId: keys.inboxId })).json();
    const notYet = await server.call('POST', '/api/v1/verify', { key: keys.staff, json: { redemptionId: offer.id } });
    expect((await notYet.json()).error.code).toBe('not_redeemed');
    const unknown = await server.call('POST', '/api/v1/verify', { key: keys.staff, json: { code: 'NOPE-NOPE' } });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('not_found');
  });
});
