import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DatabaseHandle } from '@couponflow/db';
import { openTestDatabase } from '@couponflow/db/testing';
import { apiEndpoints, otherEndpoints, webhookEndpoints, type Endpoint } from './support/fuzz/endpoints';
import { rawSender, type RawAnswer } from './support/fuzz/rawHttp';
import { requestTo, type FuzzRequest, type FuzzTargets } from './support/fuzz/requestArbitrary';
import type { JsonSchema } from './support/fuzz/schemaValues';
import { describeBody } from './support/fuzz/wireBody';
import { send } from './support/send';
import { databaseWatcher } from './support/storedState';
import { twoOrganisations, type TwoOrganisations } from './support/twoOrganisations';

/** The same seed sends the same requests: FUZZ_SEED=<n> replays a run, FUZZ_REQUESTS=<n> makes it longer. */
const seed = Number(process.env.FUZZ_SEED ?? 7_2026);
const total = Number(process.env.FUZZ_REQUESTS ?? 10_000);


interface FuzzSetup {
  world: TwoOrganisations;
  endpoints: Endpoint[];
  components: Record<string, JsonSchema>;
  targets: FuzzTargets;
}

/** Two organisations with real data on a running server (over `database`, or a fresh SQLite file), and what to aim requests at. */
async function fuzzSetup(database?: DatabaseHandle['db']): Promise<FuzzSetup> {
  const world = await twoOrganisations(database ? { database } : {});
  const document = JSON.parse((await send(world.server, 'GET', '/api/v1/openapi.json')).text);
  const components: Record<string, JsonSchema> = document.components.schemas;
  const junk: Endpoint[] = [
    { method: 'GET', path: '/api/v1/{junk}', query: [], csvBody: false, api: true },
    { method: 'POST', path: '/api/v1/coupons/{id}/{junk}', query: [], csvBody: false, api: true },
    { method: 'GET', path: '/{junk}', query: [], csvBody: false, api: false },
  ];
  const endpoints = [...apiEndpoints(document), ...otherEndpoints, ...webhookEndpoints, ...junk];
  const { a, b } = world;
  const { contactShards, outbound, broadcasts } = world.server.runtime.queues;
  const targets: FuzzTargets = {
    callers: {
      'no key': undefined,
      staff: a.keys.staff,
      designer: a.keys.designer,
      admin: a.keys.admin,
      owner: a.keys.owner,
      'other org owner': b.keys.owner,
      'instance admin': world.server.adminKey,
    },
    ids: {
      orgs: { own: [a.orgId], other: [b.orgId] },
      coupons: { own: [a.couponId, a.commonCouponId], other: [b.couponId, b.commonCouponId] },
      flows: { own: [a.flowId], other: [b.flowId] },
      broadcasts: { own: [a.broadcastId], other: [b.broadcastId] },
      inboxes: { own: [a.inboxId], other: [b.inboxId] },
      contacts: { own: [a.customerId, 'alice'], other: [] },
      tokens: { own: [a.token], other: [b.token] },
      versions: { own: ['1', '2'], other: [] },
      queues: { own: [contactShards[0]!.name, outbound.name, broadcasts.name], other: [] },
    },
  };
  return { world, endpoints, components, targets };
}

let setup: FuzzSetup;
let world: TwoOrganisations;
let watcher: ReturnType<typeof databaseWatcher>;

beforeAll(async () => {
  setup = await fuzzSetup();
  world = setup.world;
  watcher = databaseWatcher(world.server.db);
});
afterAll(async () => {
  watcher.close();
  await world.server.close();
});

const isErrorModel = (answer: RawAnswer) => {
  try {
    const { error } = JSON.parse(answer.text);
    return typeof error.code === 'string' && typeof error.message === 'string';
  } catch {
    return false;
  }
};

const describeRequest = (r: FuzzRequest) =>
  `${r.method} ${r.path.length > 300 ? `${r.path.slice(0, 300)}… (${r.path.length} chars)` : r.path} ${JSON.stringify(r.headers).slice(0, 300)} body ${describeBody(r.body)}`;

describe('a generated run of hostile requests across every endpoint', () => {
  it('(the write detector sees a write, and lets a refusal add its line to the audit trail)', async () => {
    const before = watcher.snapshot();
    watcher.committed();
    expect((await send(world.server, 'POST', '/api/v1/flows', { key: world.a.keys.designer, json: { name: 'Seen' } })).status).toBe(201);
    expect(watcher.committed()).toBe(true);
    expect(watcher.unchangedSince(before)).toBe(false);
    const after = watcher.snapshot();
    expect((await send(world.server, 'POST', '/api/v1/verify', { key: world.a.keys.staff, json: { code: 'NOPE0000' } })).status).toBe(404);
    expect(watcher.committed()).toBe(true);
    expect(watcher.unchangedSince(after)).toBe(true);
  });

  it(`${total} requests: never a 5xx, refusals in the error model, nothing written by a refused request, the server still up`, async () => {
    await hostileRun(setup, total, watcher);
  });
});

describe('the same hostile requests against PostgreSQL', () => {
  let database: DatabaseHandle;
  let onPostgres: FuzzSetup;
  beforeAll(async () => {
    database = await openTestDatabase('postgres', inject('postgresUrl'));
    onPostgres = await fuzzSetup(database.db);
  });
  afterAll(async () => {
    await onPostgres?.world.server.close();
    await database?.close();
  });

  // PostgreSQL refuses values SQLite keeps (NUL characters, numbers past a column's range): none may become a 5xx.
  it(`${total} requests: never a 5xx, refusals in the error model, the server still up`, async () => {
    await hostileRun(onPostgres, total);
  });
});

/**
 * Sends `total` generated requests (the same seed, the same requests) and checks every answer; with a
 * SQLite `watcher`, also that no refused request wrote anything.
 */
async function hostileRun({ world, endpoints, components, targets }: FuzzSetup, total: number, watcher?: ReturnType<typeof databaseWatcher>) {
  const http = rawSender(world.server.url);
  const anyRequest = fc.oneof(...endpoints.map((endpoint) => requestTo(endpoint, targets, components)));
  const problems: string[] = [];
  const tally = { byClass: {} as Record<string, number>, byEndpoint: {} as Record<string, number>, codes: {} as Record<string, number> };
  let baseline = watcher?.snapshot();
  watcher?.committed();
  const started = performance.now();
  let sent = 0;
  let previous = '(nothing)';
  for (let batch = 0; sent < total; batch++) {
    for (const request of fc.sample(anyRequest, { seed: seed + batch, numRuns: Math.min(500, total - sent) })) {
      sent++;
      tally.byEndpoint[request.endpoint] = (tally.byEndpoint[request.endpoint] ?? 0) + 1;
      let answer: RawAnswer;
      try {
        answer = await http.send(request);
      } catch (error) {
        problems.push(`no answer (${(error as Error).message}) to ${describeRequest(request)}, sent after ${previous}`);
        continue;
      }
      previous = `${describeRequest(request).slice(0, 300)} → ${answer.status}`;
      tally.byClass[`${String(answer.status)[0]}xx`] = (tally.byClass[`${String(answer.status)[0]}xx`] ?? 0) + 1;
      const refused = answer.status >= 400;
      if (answer.status >= 500) problems.push(`${answer.status} ${answer.text.slice(0, 200)} ← ${describeRequest(request)}`);
      if (refused && request.method !== 'HEAD') {
        const model = isErrorModel(answer);
        if (model) {
          const code = JSON.parse(answer.text).error.code;
          tally.codes[code] = (tally.codes[code] ?? 0) + 1;
        }
        const page = !request.api && answer.contentType.startsWith('text/html');
        if (!model && !page) problems.push(`not the error model: ${answer.status} ${answer.contentType} ${answer.text.slice(0, 200)} ← ${describeRequest(request)}`);
      }
      if (watcher?.committed()) {
        if (refused && !watcher.unchangedSince(baseline!)) problems.push(`refused with ${answer.status} but wrote to the database ← ${describeRequest(request)}`);
        baseline = watcher.snapshot();
      }
      if (problems.length >= 25) break;
    }
    if (problems.length >= 25) break;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `fuzz${watcher ? '' : ' (PostgreSQL)'}: ${sent} requests (seed ${seed}) to ${endpoints.length} endpoints in ${seconds.toFixed(1)} s: ${JSON.stringify(tally.byClass)}; error codes ${JSON.stringify(tally.codes)}`,
  );
  http.close();
  expect(problems).toEqual([]);
  expect(sent).toBe(total);
  expect(Object.keys(tally.byEndpoint).length).toBe(endpoints.length);

  const health = await send(world.server, 'GET', '/healthz');
  expect(health.status).toBe(200);
  // …and it still serves its organisations.
  expect((await send(world.server, 'GET', '/api/v1/flows', { key: world.b.keys.owner })).status).toBe(200);
}
