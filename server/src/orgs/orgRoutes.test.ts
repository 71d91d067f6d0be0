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
