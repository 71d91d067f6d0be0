import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithKeys, startTestServer, type TestServer } from '../testing/testServer';

let server: TestServer;
beforeAll(async () => void (server = await startTestServer()));
afterAll(() => server.close());

async function newFlow(key: string) {
  return (await (await server.call('POST', '/api/v1/flows', { key, json: { name: 'Spring offer' } })).json()) as { id: string };
}

describe('DELETE /flows/:id', () => {
  it('removes a flow nobody is in; it is gone from the list', async () => {
    const { owner } = await orgWithKeys(server);
    const flow = await newFlow(owner);
    expect((await server.call('DELETE', `/api/v1/flows/${flow.id}`, { key: owner })).status).toBe(204);
    expect((await server.call('GET', `/api/v1/flows/${flow.id}`, { key: owner })).status).toBe(404);
    expect((await (await server.call('GET', '/api/v1/flows', { key: owner })).json()).items).toEqual([]);
  });

  it('refuses with 409 while a customer’s run is on the flow', async () => {
    const { orgId, owner } = await orgWithKeys(server);
    const flow = await newFlow(owner);
    const now = new Date();
    await server.db
      .insert(server.db.tables.flowRuns)
      .values({ id: 'run_waiting', orgId, flowId: flow.id, version: 1, inboxId: 'inb_x', channel: 'webchat', customerId: 'c1', status: 'waiting', vars: {}, startedAt: now, updatedAt: now });
    const res = await server.call('DELETE', `/api/v1/flows/${flow.id}`, { key: owner });
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('flow_has_active_runs');
    expect((await server.call('GET', `/api/v1/flows/${flow.id}`, { key: owner })).status).toBe(200);
  });

  it('another organisation’s flow is 404 and designers may not delete', async () => {
    const a = await orgWithKeys(server);
    const b = await orgWithKeys(server);
    const flow = await newFlow(b.owner);
    expect((await server.call('DELETE', `/api/v1/flows/${flow.id}`, { key: a.owner })).status).toBe(404);
    expect((await server.call('DELETE', `/api/v1/flows/${flow.id}`, { key: b.designer })).status).toBe(403);
    expect((await server.call('GET', `/api/v1/flows/${flow.id}`, { key: b.owner })).status).toBe(200);
  });
});
