import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithKeys, startTestServer, type TestServer } from '../testing/testServer';

let server: TestServer;
beforeAll(async () => void (server = await startTestServer()));
afterAll(() => server.close());

describe('organisations and API keys', () => {
  it('the instance admin creates an organisation and gets its owner key once', async () => {
    const res = await server.call('POST', '/api/v1/orgs', { key: server.adminKey, json: { name: 'Bakery' } });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ org: { id: expect.stringMatching(/^org_/), name: 'Bakery', features: { coupons: true } }, apiKey: expect.stringMatching(/^cf_/) });
    const coupons = await server.call('GET', '/api/v1/coupons', { key: body.apiKey });
    expect(coupons.status).toBe(200);
  });

  it('answers 401 without a key or with a wrong one', async () => {
    for (const key of [undefined, 'cf_wrong']) {
      const res = await server.call('POST', '/api/v1/orgs', { key, json: { name: 'X' } });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
  });

  it('answers 403 when an organisation key tries instance-admin work', async () => {
    const { owner } = await orgWithKeys(server);
    const res = await server.call('POST', '/api/v1/orgs', { key: owner, json: { name: 'X' } });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
  });

  it('switching the coupons add-on off closes the coupon endpoints with feature_disabled', async () => {
    const { orgId, owner } = await orgWithKeys(server);
    const patch = await server.call('PATCH', `/api/v1/orgs/${orgId}`, { key: server.adminKey, json: { features: { coupons: false } } });
    expect(await patch.json()).toMatchObject({ id: orgId, features: { coupons: false } });
    const res = await server.call('GET', '/api/v1/coupons', { key: owner });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('feature_disabled');
  });

  it('answers 404 for an unknown organisation', async () => {
    const res = await server.call('PATCH', '/api/v1/orgs/org_nope', { key: server.adminKey, json: { features: { coupons: true } } });
    expect(res.status).toBe(404);
  });

  it('owners make keys of every role; admins may not make owner keys; designers and staff make none', async () => {
    const { owner, admin, designer, staff } = await orgWithKeys(server);
    expect((await server.call('POST', '/api/v1/api-keys', { key: owner, json: { role: 'owner' } })).status).toBe(201);
    expect((await server.call('POST', '/api/v1/api-keys', { key: admin, json: { role: 'staff', name: 'Till 1' } })).status).toBe(201);
    expect((await server.call('POST', '/api/v1/api-keys', { key: admin, json: { role: 'owner' } })).status).toBe(403);
    expect((await server.call('POST', '/api/v1/api-keys', { key: designer, json: { role: 'staff' } })).status).toBe(403);
    expect((await server.call('POST', '/api/v1/api-keys', { key: staff, json: { role: 'staff' } })).status).toBe(403);
  });

  it('refuses an unknown role with 422 and details', async () => {
    const { owner } = await orgWithKeys(server);
    const res = await server.call('POST', '/api/v1/api-keys', { key: owner, json: { role: 'god' } });
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path: 'role' })] });
  });
});

describe('listing organisations and keys, revoking keys', () => {
  it('the instance admin lists organisations; organisation keys may not', async () => {
    const { orgId, owner } = await orgWithKeys(server, 'Listed shop');
    const res = await server.call('GET', '/api/v1/orgs', { key: server.adminKey });
    expect((await res.json()).items).toContainEqual(expect.objectContaining({ id: orgId, name: 'Listed shop', features: { coupons: true } }));
    expect((await server.call('GET', '/api/v1/orgs', { key: owner })).status).toBe(403);
  });

  it('lists the organisation’s keys with role, name and dates but never the key', async () => {
    const { owner } = await orgWithKeys(server);
    await server.call('POST', '/api/v1/api-keys', { key: owner, json: { role: 'staff', name: 'Till 2' } });
    const res = await server.call('GET', '/api/v1/api-keys', { key: owner });
    const { items } = await res.json();
    expect(items.map((k: { role: string }) => k.role)).toEqual(['owner', 'admin', 'designer', 'staff', 'staff']);
    expect(items[4]).toEqual({ id: expect.stringMatching(/^key_/), role: 'staff', name: 'Till 2', createdAt: expect.any(String), lastUsedAt: null });
    expect(items[0].lastUsedAt).toEqual(expect.any(String)); // the owner key was just used
    expect(JSON.stringify(items)).not.toContain(owner);
    expect(JSON.stringify(items)).not.toMatch(/cf_|hash/i);
  });

  it('a revoked key stops working at once and leaves the list', async () => {
    const { owner } = await orgWithKeys(server);
    const made = await (await server.call('POST', '/api/v1/api-keys', { key: owner, json: { role: 'admin' } })).json();
    expect((await server.call('GET', '/api/v1/coupons', { key: made.key })).status).toBe(200);
    expect((await server.call('DELETE', `/api/v1/api-keys/${made.id}`, { key: owner })).status).toBe(204);
    expect((await server.call('GET', '/api/v1/coupons', { key: made.key })).status).toBe(401);
    const { items } = await (await server.call('GET', '/api/v1/api-keys', { key: owner })).json();
    expect(items.map((k: { id: string }) => k.id)).not.toContain(made.id);
    expect((await server.call('DELETE', `/api/v1/api-keys/${made.id}`, { key: owner })).status).toBe(404);
  });

  it('another organisation’s key id is 404; admins cannot revoke owners; the last owner key stays', async () => {
    const a = await orgWithKeys(server, 'A');
    const b = await orgWithKeys(server, 'B');
    const bKeys = (await (await server.call('GET', '/api/v1/api-keys', { key: b.owner })).json()).items;
    const res = await server.call('DELETE', `/api/v1/api-keys/${bKeys[1].id}`, { key: a.owner });
    expect(res.status).toBe(404);
    expect((await server.call('GET', '/api/v1/coupons', { key: b.admin })).status).toBe(200);

    const ownerId = bKeys[0].id;
    expect((await server.call('DELETE', `/api/v1/api-keys/${ownerId}`, { key: b.admin })).status).toBe(403);
    const last = await server.call('DELETE', `/api/v1/api-keys/${ownerId}`, { key: b.owner });
    expect(last.status).toBe(409);
    expect((await last.json()).error.code).toBe('last_owner_key');
    expect((await server.call('GET', '/api/v1/api-keys', { key: b.designer })).status).toBe(403);
  });
});
