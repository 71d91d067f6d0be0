import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithKeys, sampleCoupon, startTestServer, type TestServer } from '../testing/testServer';

let server: TestServer;
let keys: Awaited<ReturnType<typeof orgWithKeys>>;
beforeAll(async () => {
  server = await startTestServer();
  keys = await orgWithKeys(server);
});
afterAll(() => server.close());

async function createCoupon(body: object = sampleCoupon, key = keys.owner) {
  const res = await server.call('POST', '/api/v1/coupons', { key, json: body });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; code: { value?: string } };
}

describe('coupon campaigns over the API', () => {
  it('an admin creates, reads, lists and changes a coupon', async () => {
    const coupon = await createCoupon({ ...sampleCoupon, name: 'Autumn' }, keys.admin);
    expect(coupon).toMatchObject({ name: 'Autumn', status: 'active', code: { type: 'unique', length: 8, charset: 'alphanumeric' } });
    const got = await server.call('GET', `/api/v1/coupons/${coupon.id}`, { key: keys.designer });
    expect(await got.json()).toEqual(coupon);
    const list = await (await server.call('GET', '/api/v1/coupons?limit=1', { key: keys.owner })).json();
    expect(list).toMatchObject({ items: [{ id: coupon.id }] });
    const patched = await server.call('PATCH', `/api/v1/coupons/${coupon.id}`, { key: keys.admin, json: { name: 'Autumn sale', active: false } });
    expect(await patched.json()).toMatchObject({ name: 'Autumn sale', status: 'inactive' });
  });

  it('answers 422 with one detail per field for an invalid coupon', async () => {
    const res = await server.call('POST', '/api/v1/coupons', { key: keys.owner, json: { name: '', code: { type: 'other' } } });
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.code).toBe('validation_failed');
    expect(error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['name', 'code.type', 'activePeriod']));
  });

  it('answers 422 ends_at_shortened when endsAt would move earlier', async () => {
    const coupon = await createCoupon({ ...sampleCoupon, activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: '2099-01-01T00:00:00Z' } });
    const res = await server.call('PATCH', `/api/v1/coupons/${coupon.id}`, {
      key: keys.owner,
      json: { activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: '2098-01-01T00:00:00Z' } },
    });
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe('ends_at_shortened');
  });

  it('answers 400 for malformed JSON and 413 for a JSON body over 1 MB', async () => {
    const malformed = await server.call('POST', '/api/v1/coupons', { key: keys.owner, body: '{"name":', headers: { 'Content-Type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe('malformed_json');
    const huge = await server.call('POST', '/api/v1/coupons', { key: keys.owner, json: { ...sampleCoupon, name: 'x'.repeat(1_100_000) } });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('payload_too_large');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await server.call('POST', '/api/v1/coupons', { key: keys.owner, body: 'name=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
  });

  it('answers 404 for another organisation’s coupon, whatever the endpoint', async () => {
    const coupon = await createCoupon();
    const other = await orgWithKeys(server, 'Competitor');
    for (const [method, path, json] of [
      ['GET', `/api/v1/coupons/${coupon.id}`],
      ['PATCH', `/api/v1/coupons/${coupon.id}`, { name: 'mine now' }],
      ['POST', `/api/v1/coupons/${coupon.id}/codes`, { generate: 5 }],
      ['POST', `/api/v1/coupons/${coupon.id}/revoke`, { scope: 'coupon' }],
      ['POST', `/api/v1/coupons/${coupon.id}/distributions`, { customerId: 'u', inboxId: 'i' }],
      ['GET', `/api/v1/coupons/${coupon.id}/redemptions`],
      ['GET', `/api/v1/coupons/${coupon.id}/stats`],
    ] as const) {
      const res = await server.call(method, path, { key: other.owner, json });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    }
  });

  it('enforces roles on every endpoint class', async () => {
    const coupon = await createCoupon();
    const allowed = async (key: string, method: string, path: string, json?: unknown) => {
      const res = await server.call(method, path, { key, json });
      return res.status !== 403;
    };
    const read = (key: string) => allowed(key, 'GET', `/api/v1/coupons/${coupon.id}`);
    const write = (key: string) => allowed(key, 'PATCH', `/api/v1/coupons/${coupon.id}`, { name: 'x' });
    const records = (key: string) => allowed(key, 'GET', `/api/v1/coupons/${coupon.id}/redemptions`);
    const verify = (key: string) => allowed(key, 'POST', '/api/v1/verify', { code: 'NOPE' });
    const table = async (key: string) => [await read(key), await write(key), await records(key), await verify(key)];
    expect(await table(keys.owner)).toEqual([true, true, true, true]);
    expect(await table(keys.admin)).toEqual([true, true, true, true]);
    expect(await table(keys.designer)).toEqual([true, false, false, false]);
    expect(await table(keys.staff)).toEqual([false, false, false, true]);
  });
});

describe('code pools over the API', () => {
  it('generates codes and imports a CSV with a per-line report', async () => {
    const coupon = await createCoupon();
    const generated = await server.call('POST', `/api/v1/coupons/${coupon.id}/codes`, { key: keys.owner, json: { generate: 100 } });
    expect(generated.status).toBe(201);
    const none = { duplicate_in_file: 0, duplicate_existing: 0, invalid_format: 0, too_long: 0 };
    expect(await generated.json()).toEqual({ added: 100, total: 100, rejected: [], rejectedCount: 0, rejectedByReason: none });
    const csv = 'code\nIMPORT-01\nIMPORT-02\nIMPORT-01\n!!\n';
    const imported = await server.call('POST', `/api/v1/coupons/${coupon.id}/codes`, { key: keys.owner, body: csv, headers: { 'Content-Type': 'text/csv' } });
    expect(imported.status).toBe(201);
    expect(await imported.json()).toEqual({
      added: 2,
      total: 102,
      rejectedCount: 2,
      rejected: [
        { line: 4, value: 'IMPORT-01', reason: 'duplicate_in_file' },
        { line: 5, value: '!!', reason: 'invalid_format' },
      ],
      rejectedByReason: { ...none, duplicate_in_file: 1, invalid_format: 1 },
    });
  });

  it('refuses a CSV over 10 MB with 413 and writes nothing', async () => {
    const coupon = await createCoupon();
    const body = Buffer.alloc(10 * 1024 * 1024 + 10, 'ABCDEFGH\n');
    const res = await server.call('POST', `/api/v1/coupons/${coupon.id}/codes`, { key: keys.owner, body, headers: { 'Content-Type': 'text/csv' } });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('file_too_large');
    const after = await (await server.call('GET', `/api/v1/coupons/${coupon.id}`, { key: keys.owner })).json();
    expect(after.poolSize).toBe(0);
  });

  it('answers 409 for codes on a common-code coupon', async () => {
    const coupon = await createCoupon({ ...sampleCoupon, code: { type: 'common' } });
    const res = await server.call('POST', `/api/v1/coupons/${coupon.id}/codes`, { key: keys.owner, json: { generate: 5 } });
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('not_unique_coupon');
  });
});
