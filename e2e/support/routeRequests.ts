import { sampleCoupon } from '../../server/src/testing/testServer';
import { api } from './chatWorld';
import { sampleGraph, type TwoOrganisations } from './twoOrganisations';

/** One request that organisation A's owner could make successfully: path below the server root. */
export interface PreparedRequest {
  path: string;
  json?: unknown;
  /** a raw body (CSV uploads), sent with its own Content-Type header */
  body?: string;
  headers?: Record<string, string>;
}

type Prepare = (world: TwoOrganisations) => Promise<PreparedRequest> | PreparedRequest;

const v1 = '/api/v1';
const fresh = async (world: TwoOrganisations, path: string, json: unknown) => {
  const res = await api(world.server, world.a.keys.owner, 'POST', path, json);
  if (res.status >= 300) throw new Error(`could not prepare ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const freshToken = async (world: TwoOrganisations) =>
  (await fresh(world, `/coupons/${world.a.couponId}/distributions`, { customerId: `matrix-${Math.random()}`, inboxId: world.a.inboxId })).token as string;
const shardOfWaitingJob = async (world: TwoOrganisations) => {
  for (const queue of world.server.runtime.queues.contactShards) if (await queue.getJob(world.waitingJobId)) return queue.name;
  return world.server.runtime.queues.contactShards[0]!.name;
};
const dashboard = (path: string, json?: unknown): Prepare => async (world) => ({
  path: `/admin/queues/api/queues${path.replace('{queue}', await shardOfWaitingJob(world)).replace('{jobId}', world.waitingJobId)}`,
  json,
});

/**
 * For each route, what organisation A's owner would send to it, with A's real ids. Routes that
 * delete get a fresh victim each time, so every caller meets an id that exists.
 */
export const routeRequests: Record<string, Prepare> = {
  'POST /api/v1/orgs': () => ({ path: `${v1}/orgs`, json: { name: 'Matrix shop' } }),
  'GET /api/v1/orgs': () => ({ path: `${v1}/orgs` }),
  'PATCH /api/v1/orgs/{id}': (w) => ({ path: `${v1}/orgs/${w.a.orgId}`, json: { features: { coupons: true } } }),
  'POST /api/v1/api-keys': () => ({ path: `${v1}/api-keys`, json: { role: 'staff', name: 'Till' } }),
  'GET /api/v1/api-keys': () => ({ path: `${v1}/api-keys` }),
  'DELETE /api/v1/api-keys/{id}': async (w) => ({ path: `${v1}/api-keys/${(await fresh(w, '/api-keys', { role: 'staff' })).id}` }),
  'GET /api/v1/org': () => ({ path: `${v1}/org` }),
  'PATCH /api/v1/org': () => ({ path: `${v1}/org`, json: { timeZone: 'Europe/Paris' } }),
  'POST /api/v1/session': (w) => ({ path: `${v1}/session`, json: { apiKey: w.a.keys.staff } }),
  'GET /api/v1/session': () => ({ path: `${v1}/session` }),
  'DELETE /api/v1/session': () => ({ path: `${v1}/session` }),

  'POST /api/v1/coupons': () => ({ path: `${v1}/coupons`, json: { ...sampleCoupon, name: 'Matrix coupon' } }),
  'GET /api/v1/coupons': () => ({ path: `${v1}/coupons` }),
  'GET /api/v1/coupons/{id}': (w) => ({ path: `${v1}/coupons/${w.a.couponId}` }),
  'PATCH /api/v1/coupons/{id}': (w) => ({ path: `${v1}/coupons/${w.a.couponId}`, json: { name: 'Renamed' } }),
  'POST /api/v1/coupons/{id}/codes': (w) => ({ path: `${v1}/coupons/${w.a.couponId}/codes`, json: { generate: 2 } }),
  'POST /api/v1/coupons/{id}/revoke': (w) => ({ path: `${v1}/coupons/${w.a.couponId}/revoke`, json: { scope: 'customers', customerIds: ['nobody'] } }),
  'POST /api/v1/coupons/{id}/distributions': (w) => ({
    path: `${v1}/coupons/${w.a.couponId}/distributions`,
    json: { customerId: `matrix-${Math.random()}`, inboxId: w.a.inboxId },
  }),
  'GET /api/v1/coupons/{id}/redemptions': (w) => ({ path: `${v1}/coupons/${w.a.couponId}/redemptions` }),
  'GET /api/v1/coupons/{id}/stats': (w) => ({ path: `${v1}/coupons/${w.a.couponId}/stats` }),
  'GET /api/v1/coupons/{id}/events': (w) => ({ path: `${v1}/coupons/${w.a.couponId}/events` }),
  'POST /api/v1/coupons/{id}/audience': (w) => ({
    path: `${v1}/coupons/${w.a.couponId}/audience`,
    body: 'customerId\nmatrix-audience\n',
    headers: { 'Content-Type': 'text/csv' },
  }),
  'DELETE /api/v1/coupons/{id}/audience': (w) => ({ path: `${v1}/coupons/${w.a.couponId}/audience` }),
  'POST /api/v1/coupons/{id}/redemptions/{recordId}/reverse': async (w) => {
    // A fresh redemption each time, so every caller meets one that can be reversed.
    const offer = await fresh(w, `/coupons/${w.a.couponId}/distributions`, { customerId: `matrix-${Math.random()}`, inboxId: w.a.inboxId });
    const redeemed = await w.server.call('POST', `/r/${offer.token}/redeem`, { headers: { Accept: 'application/json' } });
    if (redeemed.status !== 200) throw new Error(`could not redeem for the reverse route: ${redeemed.status}`);
    return { path: `${v1}/coupons/${w.a.couponId}/redemptions/${offer.id}/reverse`, json: { to: 'sent' } };
  },
  'POST /api/v1/verify': (w) => ({ path: `${v1}/verify`, json: { redemptionId: w.a.redemptionId } }),
  'POST /api/v1/redeem-page/preview': () => ({ path: `${v1}/redeem-page/preview`, json: { redeemPage: {} } }),

  'POST /api/v1/flows': () => ({ path: `${v1}/flows`, json: { name: 'Matrix flow' } }),
  'GET /api/v1/flows': () => ({ path: `${v1}/flows` }),
  'GET /api/v1/flows/{id}': (w) => ({ path: `${v1}/flows/${w.a.flowId}` }),
  'DELETE /api/v1/flows/{id}': async (w) => ({ path: `${v1}/flows/${(await fresh(w, '/flows', { name: 'Doomed' })).id}` }),
  'PUT /api/v1/flows/{id}/draft': (w) => ({ path: `${v1}/flows/${w.a.flowId}/draft`, json: sampleGraph }),
  'POST /api/v1/flows/{id}/publish': (w) => ({ path: `${v1}/flows/${w.a.flowId}/publish` }),
  'GET /api/v1/flows/{id}/versions': (w) => ({ path: `${v1}/flows/${w.a.flowId}/versions` }),
  'POST /api/v1/flows/{id}/versions/{version}/restore': (w) => ({ path: `${v1}/flows/${w.a.flowId}/versions/1/restore` }),
  'GET /api/v1/node-types': () => ({ path: `${v1}/node-types` }),
  'POST /api/v1/flows/{id}/broadcasts': (w) => ({ path: `${v1}/flows/${w.a.flowId}/broadcasts`, json: { inboxId: w.a.inboxId, customerIds: ['matrix-1'] } }),
  'GET /api/v1/broadcasts/{id}': (w) => ({ path: `${v1}/broadcasts/${w.a.broadcastId}` }),

  'POST /api/v1/inboxes': () => ({ path: `${v1}/inboxes`, json: { channel: 'webchat', name: 'Matrix inbox' } }),
  'GET /api/v1/inboxes': () => ({ path: `${v1}/inboxes` }),
  'GET /api/v1/inboxes/{id}': (w) => ({ path: `${v1}/inboxes/${w.a.inboxId}` }),
  'PATCH /api/v1/inboxes/{id}': (w) => ({ path: `${v1}/inboxes/${w.a.inboxId}`, json: { name: 'Website' } }),
  'DELETE /api/v1/inboxes/{id}': async (w) => ({ path: `${v1}/inboxes/${(await fresh(w, '/inboxes', { channel: 'webchat', name: 'Doomed' })).id}` }),
  'GET /api/v1/contacts/{customerId}': (w) => ({ path: `${v1}/contacts/${w.a.customerId}?inboxId=${w.a.inboxId}` }),
  'POST /api/v1/webchat/{inboxId}/messages': (w) => ({ path: `${v1}/webchat/${w.a.inboxId}/messages`, json: { contactId: 'matrix-visitor', text: 'hello' } }),
  'GET /api/v1/webchat/{inboxId}/messages': (w) => ({ path: `${v1}/webchat/${w.a.inboxId}/messages?contactId=${w.a.customerId}` }),
  'GET /api/v1/webchat/{inboxId}/stream': (w) => ({ path: `${v1}/webchat/${w.a.inboxId}/stream?contactId=${w.a.customerId}` }),
  'GET /api/v1/openapi.json': () => ({ path: `${v1}/openapi.json` }),

  'GET /r/{token}': async (w) => ({ path: `/r/${await freshToken(w)}` }),
  'POST /r/{token}/redeem': async (w) => ({ path: `/r/${await freshToken(w)}/redeem`, headers: { Accept: 'application/json' } }),
  'GET /staff': () => ({ path: '/staff' }),
  'GET /healthz': () => ({ path: '/healthz' }),
  'GET /metrics': () => ({ path: '/metrics' }),

  'GET /admin/queues': () => ({ path: '/admin/queues' }),
  'GET /admin/queues/api/queues': dashboard(''),
  'GET /admin/queues/api/queues/{queue}/{jobId}': dashboard('/{queue}/{jobId}'),
  // The forged event: a `redemption` that tells another organisation's customer "Your code is …".
  'POST /admin/queues/api/queues/{queue}/add': async (w) =>
    dashboard('/{queue}/add', {
      name: 'redemption',
      data: { type: 'redemption', inboxId: w.a.inboxId, customerId: w.a.customerId, runId: 'run_forged', nodeId: 'offer', outcome: 'redeemed', code: 'FORGED' },
    })(w),
  'PUT /admin/queues/api/queues/{queue}/{jobId}/retry': dashboard('/{queue}/{jobId}/retry'),
  'PUT /admin/queues/api/queues/{queue}/retry/failed': dashboard('/{queue}/retry/failed'),
  'PUT /admin/queues/api/queues/{queue}/clean/completed': dashboard('/{queue}/clean/completed'),
  'PATCH /admin/queues/api/queues/{queue}/{jobId}/update-data': dashboard('/{queue}/{jobId}/update-data', { data: { text: 'phishing https://evil.example' } }),
  'PUT /admin/queues/api/queues/{queue}/concurrency': dashboard('/{queue}/concurrency', { concurrency: 50 }),
  'PUT /admin/queues/api/queues/{queue}/pause': dashboard('/{queue}/pause'),
  'PUT /admin/queues/api/queues/{queue}/resume': dashboard('/{queue}/resume'),
  'PUT /admin/queues/api/queues/pause': dashboard('/pause'),
  'PUT /admin/queues/api/queues/resume': dashboard('/resume'),
  'PUT /admin/queues/api/queues/{queue}/empty': dashboard('/{queue}/empty'),
};
