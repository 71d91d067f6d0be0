import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeRequests, type PreparedRequest } from './support/routeRequests';
import { send, type Answer } from './support/send';
import { databaseWatcher, queueSnapshot } from './support/storedState';
import { twoOrganisations, type TwoOrganisations } from './support/twoOrganisations';

type OrgRole = 'owner' | 'admin' | 'designer' | 'staff';
type Caller = 'no key' | OrgRole | 'instance admin' | 'other org owner';
const callers: Caller[] = ['no key', 'staff', 'designer', 'instance admin', 'other org owner', 'admin', 'owner'];

/** Who SPEC §5 lets in. `any key` = any valid key, of any organisation or the instance admin. */
type Who = 'anyone' | 'instance admin' | 'any key' | OrgRole[];
const orgAdmins: OrgRole[] = ['owner', 'admin']; // "admin (everything in the org)"
const flowEditors: OrgRole[] = ['owner', 'admin', 'designer']; // "designer (flows drafts …; cannot publish)"
const couponReaders: OrgRole[] = ['owner', 'admin', 'designer']; // "designer (… read coupons; … nor change coupons)"
const verifiers: OrgRole[] = ['owner', 'admin', 'staff']; // "POST /verify (staff, admin, owner)"

/**
 * The expectations, written from SPEC §5 (and the issue: the queue dashboard and /metrics are the
 * instance admin's), not read from the routes' own `access`, so a route that lets in the wrong
 * caller fails here. Routes the spec names that this build does not serve yet are skipped.
 */
const expectations: Record<string, Who> = {
  'POST /api/v1/orgs': 'instance admin',
  'GET /api/v1/orgs': 'instance admin',
  'PATCH /api/v1/orgs/{id}': 'instance admin',
  'POST /api/v1/api-keys': orgAdmins,
  'GET /api/v1/api-keys': orgAdmins,
  'DELETE /api/v1/api-keys/{id}': orgAdmins,
  // The organisation's own settings (its time zone): every member reads them, admins change them.
  'GET /api/v1/org': ['owner', 'admin', 'designer', 'staff'],
  'PATCH /api/v1/org': orgAdmins,
  'POST /api/v1/session': 'anyone',
  'GET /api/v1/session': 'any key',
  'DELETE /api/v1/session': 'anyone',

  'POST /api/v1/coupons': orgAdmins,
  'GET /api/v1/coupons': couponReaders,
  'GET /api/v1/coupons/{id}': couponReaders,
  'PATCH /api/v1/coupons/{id}': orgAdmins,
  'POST /api/v1/coupons/{id}/codes': orgAdmins,
  'POST /api/v1/coupons/{id}/revoke': orgAdmins,
  'POST /api/v1/coupons/{id}/distributions': orgAdmins,
  // Records name customers: admins read them ("read redemption records"); designers read coupons only.
  'GET /api/v1/coupons/{id}/redemptions': orgAdmins,
  'GET /api/v1/coupons/{id}/stats': couponReaders,
  // The audit trail names customers, like the records; changing who may redeem changes the coupon.
  'GET /api/v1/coupons/{id}/events': orgAdmins,
  'POST /api/v1/coupons/{id}/audience': orgAdmins,
  'DELETE /api/v1/coupons/{id}/audience': orgAdmins,
  'POST /api/v1/coupons/{id}/redemptions/{recordId}/reverse': orgAdmins,
  'POST /api/v1/verify': verifiers,
  // Renders an unsaved page and stores nothing: whoever may read coupons may look.
  'POST /api/v1/redeem-page/preview': couponReaders,

  'POST /api/v1/flows': flowEditors,
  'GET /api/v1/flows': flowEditors,
  'GET /api/v1/flows/{id}': flowEditors,
  'DELETE /api/v1/flows/{id}': orgAdmins,
  'PUT /api/v1/flows/{id}/draft': flowEditors,
  'POST /api/v1/flows/{id}/publish': orgAdmins,
  'GET /api/v1/flows/{id}/versions': flowEditors,
  'POST /api/v1/flows/{id}/versions/{version}/restore': flowEditors,
  'GET /api/v1/node-types': flowEditors,
  // A broadcast messages real customers: publishing-level work.
  'POST /api/v1/flows/{id}/broadcasts': orgAdmins,
  'GET /api/v1/broadcasts/{id}': orgAdmins,

  'POST /api/v1/inboxes': orgAdmins,
  // Designers pick an inbox for the test chat; credentials are never in these answers.
  'GET /api/v1/inboxes': flowEditors,
  'GET /api/v1/inboxes/{id}': flowEditors,
  'PATCH /api/v1/inboxes/{id}': orgAdmins,
  'DELETE /api/v1/inboxes/{id}': orgAdmins,
  'GET /api/v1/contacts/{customerId}': flowEditors,
  'POST /api/v1/webchat/{inboxId}/messages': 'anyone',
  'GET /api/v1/webchat/{inboxId}/messages': 'anyone',
  'GET /api/v1/webchat/{inboxId}/stream': 'anyone',
  'GET /api/v1/openapi.json': 'anyone',

  'GET /r/{token}': 'anyone',
  'POST /r/{token}/redeem': 'anyone',
  'GET /staff': 'anyone',
  'GET /healthz': 'anyone',
  'GET /metrics': 'instance admin',

  'GET /admin/queues': 'instance admin',
  'GET /admin/queues/api/queues': 'instance admin',
  'GET /admin/queues/api/queues/{queue}/{jobId}': 'instance admin',
  'POST /admin/queues/api/queues/{queue}/add': 'instance admin',
  'PUT /admin/queues/api/queues/{queue}/{jobId}/retry': 'instance admin',
  'PUT /admin/queues/api/queues/{queue}/retry/failed': 'instance admin',
  'PUT /admin/queues/api/queues/{queue}/clean/completed': 'instance admin',
  'PATCH /admin/queues/api/queues/{queue}/{jobId}/update-data': 'instance admin',
  'PUT /admin/queues/api/queues/{queue}/concurrency': 'instance admin',
  'PUT /admin/queues/api/queues/{queue}/pause': 'instance admin',
  'PUT /admin/queues/api/queues/{queue}/resume': 'instance admin',
  'PUT /admin/queues/api/queues/pause': 'instance admin',
  'PUT /admin/queues/api/queues/resume': 'instance admin',
  'PUT /admin/queues/api/queues/{queue}/empty': 'instance admin',
};

/** Routes outside the OpenAPI document that this server serves. */
const servedOutsideOpenApi = Object.keys(expectations).filter((route) => !route.includes(' /api/v1/') || route.endsWith('/openapi.json'));
/** Routes that name organisation A's data outside their path. */
const idsInBody = new Set(['POST /api/v1/verify']);

type Outcome = 'allowed' | 401 | 403 | 404;

function expectedOutcome(route: string, who: Who, caller: Caller): Outcome {
  if (who === 'anyone') return 'allowed';
  if (caller === 'no key') return 401;
  if (who === 'any key') return 'allowed';
  if (who === 'instance admin') return caller === 'instance admin' ? 'allowed' : 403;
  if (caller === 'instance admin') return 403;
  if (caller === 'other org owner') return !who.includes('owner') ? 403 : route.includes('{') || idsInBody.has(route) ? 404 : 'allowed';
  return who.includes(caller) ? 'allowed' : 403;
}

let world: TwoOrganisations;
let served: Set<string>;
let watcher: ReturnType<typeof databaseWatcher>;
let checked = 0;
beforeAll(async () => {
  world = await twoOrganisations();
  watcher = databaseWatcher(world.server.db);
  const document = JSON.parse((await send(world.server, 'GET', '/api/v1/openapi.json')).text) as { paths: Record<string, Record<string, unknown>> };
  const rest = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} /api/v1${path}`));
  served = new Set([...rest, ...servedOutsideOpenApi]);
});
afterAll(async () => {
  console.log(`security matrix: ${checked} route × caller answers checked`);
  watcher.close();
  await world.server.close();
});

const keyOf = (caller: Caller): string | undefined =>
  caller === 'no key'
    ? undefined
    : caller === 'instance admin'
      ? world.server.adminKey
      : caller === 'other org owner'
        ? world.b.keys.owner
        : world.a.keys[caller];

async function call(route: string, request: PreparedRequest, key: string | undefined): Promise<Answer> {
  return send(world.server, route.split(' ')[0]!, request.path, { key, json: request.json, body: request.body, headers: request.headers });
}

/**
 * What is stored: every SQLite row and every queued job, once what earlier allowed requests put in
 * the outbox has been handed to Redis (the sweep would otherwise do it in the middle of a check).
 */
const storedState = async () => {
  await world.server.runtime.flushOutbox();
  return { rows: watcher.snapshot(), queues: await queueSnapshot(world.server.runtime) };
};
const unchangedSince = async (before: Awaited<ReturnType<typeof storedState>>) =>
  watcher.unchangedSince(before.rows) && (await queueSnapshot(world.server.runtime)) === before.queues;

const isErrorModel = (answer: Answer) => {
  try {
    const { error } = JSON.parse(answer.text);
    return typeof error.code === 'string' && typeof error.message === 'string';
  } catch {
    return false;
  }
};

describe('every route × every caller, against SPEC §5', () => {
  it('every route this server serves has a written expectation and a request to try it with', () => {
    expect([...served].filter((route) => !expectations[route])).toEqual([]);
    expect([...served].filter((route) => !routeRequests[route])).toEqual([]);
  });

  it.for(Object.entries(expectations))('%s', async ([route, who], ctx) => {
    if (!served.has(route)) ctx.skip();
    const wrong: string[] = [];
    for (const caller of callers) {
      const expected = expectedOutcome(route, who, caller);
      const request = await routeRequests[route]!(world);
      const before = expected === 'allowed' ? undefined : await storedState();
      const answer = await call(route, request, keyOf(caller));
      checked++;
      const got = `${answer.status} ${answer.text.slice(0, 160)}`;
      if (expected === 'allowed') {
        if (answer.status === 401 || answer.status === 403 || answer.status >= 500) wrong.push(`${caller}: expected an answer, got ${got}`);
        if (caller === 'other org owner') {
          const leaked = world.a.ids.filter((id) => answer.text.includes(id));
          if (leaked.length) wrong.push(`${caller}: the answer shows organisation A's ${leaked.join(', ')}`);
        }
        continue;
      }
      if (answer.status !== expected) wrong.push(`${caller}: expected ${expected}, got ${got}`);
      if (!isErrorModel(answer)) wrong.push(`${caller}: the refusal is not the error model: ${got}`);
      if (!(await unchangedSince(before!))) wrong.push(`${caller}: refused with ${answer.status}, yet something stored changed`);
      if (expected === 404) {
        // The same request from A's owner finds it: the 404 above was the organisation boundary.
        const own = await call(route, request, world.a.keys.owner);
        if (own.status === 404) wrong.push(`owner of A: the id should exist, got ${own.status} ${own.text.slice(0, 160)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('another organisation’s ids inside a body', () => {
  const refusedUnchanged = async (key: string, path: string, json: unknown) => {
    const before = await storedState();
    const answer = await send(world.server, 'POST', path, { key, json });
    expect(answer.status).toBe(404);
    expect(isErrorModel(answer)).toBe(true);
    expect(await unchangedSince(before)).toBe(true);
  };

  it('B’s owner cannot broadcast B’s flow into A’s inbox', async () => {
    await refusedUnchanged(world.b.keys.owner, `/api/v1/flows/${world.b.flowId}/broadcasts`, { inboxId: world.a.inboxId, customerIds: ['victim'] });
  });

  it('B’s staff cannot verify A’s code, nor A’s redemption id', async () => {
    const { staff } = world.b.keys;
    await refusedUnchanged(staff, '/api/v1/verify', { code: world.a.code });
    await refusedUnchanged(staff, '/api/v1/verify', { redemptionId: world.a.redemptionId });
  });
});

describe('the queue dashboard is the instance admin’s alone (issue 7: cross-organisation writes)', () => {
  const basic = (key: string) => ({ Authorization: `Basic ${Buffer.from(`any:${key}`).toString('base64')}` });
  const writes: Array<[string, string]> = [
    ['a forged redemption event added to A’s run', 'POST /admin/queues/api/queues/{queue}/add'],
    ['A’s waiting message edited into a phishing text', 'PATCH /admin/queues/api/queues/{queue}/{jobId}/update-data'],
    ['a shard queue’s concurrency set to 50', 'PUT /admin/queues/api/queues/{queue}/concurrency'],
    ['a shard queue paused', 'PUT /admin/queues/api/queues/{queue}/pause'],
    ['every queue paused', 'PUT /admin/queues/api/queues/pause'],
    ['a shard queue emptied', 'PUT /admin/queues/api/queues/{queue}/empty'],
    ['completed jobs cleaned', 'PUT /admin/queues/api/queues/{queue}/clean/completed'],
    ['a job retried', 'PUT /admin/queues/api/queues/{queue}/{jobId}/retry'],
  ];

  it.for(writes)('%s: refused to every organisation key, as Bearer or Basic, and nothing in Redis changes', async ([, route]) => {
    const request = await routeRequests[route]!(world);
    const before = await queueSnapshot(world.server.runtime);
    for (const key of [world.b.keys.owner, world.b.keys.admin, world.a.keys.owner, world.a.keys.admin]) {
      for (const headers of [{ Authorization: `Bearer ${key}` }, basic(key)]) {
        const answer = await call(route, { ...request, headers }, undefined);
        expect(answer.status).toBe(403);
      }
    }
    expect(await queueSnapshot(world.server.runtime)).toBe(before);
  });

  it('no organisation key reads the queues, whose jobs hold customers’ redeem URLs', async () => {
    for (const key of [world.b.keys.owner, world.a.keys.owner]) {
      for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
        const answer = await send(world.server, 'GET', path, { headers: basic(key) });
        expect(answer.status).toBe(403);
        expect(answer.text).not.toContain('/r/');
      }
    }
    const admin = await send(world.server, 'GET', '/admin/queues/api/queues', { headers: basic(world.server.adminKey) });
    expect(admin.status).toBe(200);
  });

  it('spelling the path differently opens nothing', async () => {
    const variants = ['/ADMIN/QUEUES', '/admin/queues/', '/admin/Queues/api/queues', '/admin/queues/api/queues/', '/admin/queues//api/queues', '/admin/queues/%61pi/queues', '/METRICS', '/metrics/', '/metrics;x'];
    for (const path of variants)
      for (const key of [undefined, world.a.keys.owner]) {
        const answer = await send(world.server, 'GET', path, { key });
        expect([401, 403, 404], `${path} with ${key ? 'an owner key' : 'no key'}: ${answer.status}`).toContain(answer.status);
      }
  });

  it('/metrics answers the instance admin key only', async () => {
    expect((await send(world.server, 'GET', '/metrics')).status).toBe(401);
    expect((await send(world.server, 'GET', '/metrics', { key: world.a.keys.owner })).status).toBe(403);
    const metrics = await send(world.server, 'GET', '/metrics', { key: world.server.adminKey });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('http_request_duration_seconds');
  });
});
