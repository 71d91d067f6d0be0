import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer';

let server: TestServer;
beforeAll(async () => void (server = await startTestServer()));
afterAll(() => server.close());

describe('the OpenAPI document', () => {
  it('is served without a key and lists every endpoint with its schemas', async () => {
    const res = await server.call('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api-keys',
        '/api-keys/{id}',
        '/session',
        '/broadcasts/{id}',
        '/contacts/{customerId}',
        '/flows',
        '/flows/{id}',
        '/flows/{id}/broadcasts',
        '/flows/{id}/draft',
        '/flows/{id}/publish',
        '/flows/{id}/versions',
        '/flows/{id}/versions/{version}/restore',
        '/inboxes',
        '/node-types',
        '/coupons',
        '/coupons/{id}',
        '/coupons/{id}/audience',
        '/coupons/{id}/codes',
        '/coupons/{id}/distributions',
        '/coupons/{id}/events',
        '/coupons/{id}/redemptions',
        '/coupons/{id}/redemptions/{recordId}/reverse',
        '/coupons/{id}/revoke',
        '/coupons/{id}/stats',
        '/org',
        '/orgs',
        '/orgs/{id}',
        '/redeem-page/preview',
        '/verify',
        '/webchat/{inboxId}/messages',
        '/webchat/{inboxId}/stream',
      ].sort(),
    );
    const create = doc.paths['/coupons'].post;
    expect(create.requestBody.content['application/json'].schema).toBeDefined();
    expect(create.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Coupon' });
    expect(create.responses['422'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(Object.keys(doc.paths['/coupons/{id}/codes'].post.requestBody.content)).toEqual(['application/json', 'text/csv']);
    expect(doc.components.schemas.Coupon.properties.activePeriod).toBeDefined();
    // issue 10: every new coupon field is described
    for (const field of ['externalId', 'discount', 'redemptionWindow', 'minHoursBetweenRedemptions', 'redeemableAfterDays', 'audience', 'maxIssuedTotal', 'maxIssuedPerCustomer', 'lowStockThreshold', 'lowStock', 'stockLeft', 'issuedCount', 'funnel'])
      expect(doc.components.schemas.Coupon.properties, field).toHaveProperty(field);
    expect(doc.paths['/org'].patch.requestBody.content['application/json'].schema.properties).toHaveProperty('timeZone');
    expect(doc.paths['/flows'].get.security).toEqual([{ apiKey: [] }, { session: [] }]);
    expect(Object.keys(doc.paths['/session'])).toEqual(['post', 'get', 'delete']);
  });
});

describe('operations endpoints', () => {
  it('answers /healthz, and /metrics to the instance admin key; tags every response with a request id', async () => {
    const health = await server.call('GET', '/healthz');
    expect(await health.json()).toEqual({ status: 'ok', database: 'up', redis: 'up' });
    expect(health.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
    expect((await server.call('GET', '/metrics')).status).toBe(401);
    const metrics = await (await server.call('GET', '/metrics', { key: server.adminKey })).text();
    expect(metrics).toContain('http_request_duration_seconds_bucket{le="0.001",method="GET",route="/healthz",status="200"}');
  });

  it('sends security headers and answers unknown API paths with the error model', async () => {
    const res = await server.call('GET', '/api/v1/nothing-here', { key: server.adminKey });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('serves the staff page', async () => {
    const html = await (await server.call('GET', '/staff')).text();
    expect(html).toContain('Verify a coupon');
  });
});
