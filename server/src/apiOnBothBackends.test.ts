import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DatabaseHandle } from '@couponflow/db';
import { backends, openTestDatabase } from '@couponflow/db/testing';
import { orgWithKeys, sampleCoupon, startTestServer, type TestServer } from './testing/testServer';

const phone = { 'User-Agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1' };

/** The same API stories on SQLite (the default) and on PostgreSQL (issue 11): one server, its workers, one database. */
describe.each(backends)('the API on %s', (backend) => {
  let database: DatabaseHandle;
  let server: TestServer;
  let keys: Awaited<ReturnType<typeof orgWithKeys>>;
  beforeAll(async () => {
    database = await openTestDatabase(backend, inject('postgresUrl'));
    server = await startTestServer({ database: database.db, workers: true });
    keys = await orgWithKeys(server);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });
  const call = (key: string | undefined, method: string, path: string, json?: unknown) => server.call(method, `/api/v1${path}`, { ...(key ? { key } : {}), json });

  it('a coupon from creation to the till: distribute, open the page, redeem, verify, list and export the records', async () => {
    const coupon = await (await call(keys.owner, 'POST', '/coupons', sampleCoupon)).json();
    expect((await call(keys.owner, 'POST', `/coupons/${coupon.id}/codes`, { generate: 5 })).status).toBe(201);

    const offer = { customerId: 'ana', inboxId: keys.inboxId, idempotencyKey: 'order-1' };
    const sent = await call(keys.admin, 'POST', `/coupons/${coupon.id}/distributions`, offer);
    expect(sent.status).toBe(201);
    const record = await sent.json();
    // The same key again: the same record, not a second coupon.
    const again = await call(keys.admin, 'POST', `/coupons/${coupon.id}/distributions`, offer);
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(record.id);

    const page = await server.call('GET', `/r/${record.token}`, { headers: phone });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Summer 10% off');
    const redeemed = await server.call('POST', `/r/${record.token}/redeem`, { headers: { ...phone, Accept: 'application/json' } });
    expect(redeemed.status).toBe(200);
    const { code } = await redeemed.json();
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    const twice = await server.call('POST', `/r/${record.token}/redeem`, { headers: { ...phone, Accept: 'application/json' } });
    expect(twice.status).toBe(200);
    expect((await twice.json()).code).toBe(code);

    const verified = await call(keys.staff, 'POST', '/verify', { code });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toMatchObject({ id: record.id, status: 'verified', coupon: { id: coupon.id, name: 'Summer 10% off' } });
    const reused = await call(keys.staff, 'POST', '/verify', { code });
    expect(reused.status).toBe(409);
    expect((await reused.json()).error.code).toBe('already_verified');

    const listed = await (await call(keys.admin, 'GET', `/coupons/${coupon.id}/redemptions?status=verified`)).json();
    expect(listed.items).toMatchObject([{ id: record.id, customerId: 'ana', code, status: 'verified' }]);
    const csv = await call(keys.admin, 'GET', `/coupons/${coupon.id}/redemptions?format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(code);
    expect(await (await call(keys.owner, 'GET', `/coupons/${coupon.id}/stats`)).json()).toMatchObject({ sent: 1, opened: 1, redeemed: 1, verified: 1 });
  });

  it('a web chat visitor gets the offer from a published flow and the run resumes when they redeem', async () => {
    const coupon = await (await call(keys.owner, 'POST', '/coupons', { ...sampleCoupon, code: { type: 'common', value: 'WELCOME5' } })).json();
    const flow = await (await call(keys.owner, 'POST', '/flows', { name: 'Welcome' })).json();
    const node = (id: string, type: string, data: object) => ({ id, type, position: { x: 0, y: 0 }, data });
    await call(keys.owner, 'PUT', `/flows/${flow.id}/draft`, {
      nodes: [
        node('start', 'start', { trigger: { type: 'keyword', keywords: ['hello'] } }),
        node('offer', 'distribute_coupon', { couponId: coupon.id, message: 'A gift', buttonTitle: 'Open' }),
        node('thanks', 'send_message', { text: 'Enjoy {{coupon.code}}' }),
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'offer' },
        { id: 'e2', source: 'offer', sourceHandle: 'redeemed', target: 'thanks' },
      ],
    });
    expect((await call(keys.owner, 'POST', `/flows/${flow.id}/publish`)).status).toBe(201);

    expect((await call(undefined, 'POST', `/webchat/${keys.inboxId}/messages`, { contactId: 'bo', text: 'hello' })).status).toBe(202);
    const [offer] = await botSays('bo', 1);
    expect(offer).toMatchObject({ type: 'offer', text: 'A gift' });
    const token = offer!.buttons[0]!.url.split('/r/')[1]!;
    expect((await server.call('POST', `/r/${token}/redeem`, { headers: { ...phone, Accept: 'application/json' } })).status).toBe(200);
    expect((await botSays('bo', 2))[1]).toMatchObject({ type: 'text', text: 'Enjoy WELCOME5' });
    const contact = await (await call(keys.owner, 'GET', `/contacts/bo?inboxId=${keys.inboxId}`)).json();
    expect(contact.latestRun).toMatchObject({ flowId: flow.id, status: 'completed' });
  });

  it('a NUL character anywhere in a request is refused with 422 naming where, never a 5xx', async () => {
    const named = await call(keys.owner, 'POST', '/coupons', { ...sampleCoupon, name: 'Summer\u0000' });
    expect(named.status).toBe(422);
    expect((await named.json()).error).toMatchObject({ code: 'validation_failed', details: [{ path: 'name', message: 'must not contain NUL characters' }] });
    const asked = await call(undefined, 'GET', `/webchat/${keys.inboxId}/messages?contactId=a%00b`);
    expect(asked.status).toBe(422);
    expect((await asked.json()).error.details).toEqual([{ path: 'contactId', message: 'must not contain NUL characters' }]);
  });

  it('keys and web sessions: sign in with a key, see who is signed in, and an organisation keeps its last owner key', async () => {
    const signIn = await server.call('POST', '/api/v1/session', { json: { apiKey: keys.designer } });
    expect(signIn.status).toBe(204);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const session = await server.call('GET', '/api/v1/session', { headers: { Cookie: cookie } });
    expect(await session.json()).toEqual({ role: 'designer', org: { id: keys.orgId, name: 'Shop' }, features: { coupons: true } });

    const listed = await (await call(keys.owner, 'GET', '/api-keys')).json();
    const designerKey = listed.items.find((k: { role: string }) => k.role === 'designer');
    expect((await call(keys.owner, 'DELETE', `/api-keys/${designerKey.id}`)).status).toBe(204);
    // Revoking the key ends the sessions opened with it.
    expect((await server.call('GET', '/api/v1/session', { headers: { Cookie: cookie } })).status).toBe(401);
    const ownerKey = listed.items.find((k: { role: string }) => k.role === 'owner');
    const last = await call(keys.owner, 'DELETE', `/api-keys/${ownerKey.id}`);
    expect(last.status).toBe(409);
    expect((await last.json()).error.code).toBe('last_owner_key');
    expect((await call(server.adminKey, 'PATCH', `/orgs/${keys.orgId}`, { features: { coupons: false } })).status).toBe(200);
    expect((await call(keys.owner, 'GET', '/coupons')).status).toBe(403);
  });

  async function botSays(contactId: string, count: number) {
    let items: Array<{ type: string; text: string | null; buttons: Array<{ url: string }> }> = [];
    for (let i = 0; i < 600 && items.length < count; i++) {
      items = (await (await call(undefined, 'GET', `/webchat/${keys.inboxId}/messages?contactId=${contactId}`)).json()).items;
      if (items.length < count) await new Promise((r) => setTimeout(r, 50));
    }
    return items;
  }
});
