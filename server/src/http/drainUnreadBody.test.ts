import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithKeys, startTestServer, type TestServer } from '../testing/testServer';

let server: TestServer;
beforeAll(async () => void (server = await startTestServer()));
afterAll(() => server.close());

/** Uploads a body over a keep-alive connection; answers the status and how the upload itself ended. */
function upload(agent: Agent, path: string, headers: Record<string, string>, body: Buffer) {
  const { hostname, port } = new URL(server.url);
  return new Promise<{ status: number; upload: string }>((resolve) => {
    let status = 0;
    let uploaded = '';
    const settle = () => status && uploaded && resolve({ status, upload: uploaded });
    const req = request({ agent, hostname, port, method: 'POST', path, headers: { ...headers, 'Content-Length': String(body.length) } }, (res) => {
      res.resume();
      res.on('end', () => {
        status = res.statusCode!;
        settle();
      });
    });
    req.on('finish', () => {
      uploaded ||= 'sent whole';
      settle();
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      uploaded = `cut off (${error.code})`;
      settle();
    });
    req.end(body);
  });
}

describe('a refusal sent before the whole body arrived', () => {
  it('the rest of the body is still read, so the upload completes and the connection serves the next request', async () => {
    const { owner } = await orgWithKeys(server);
    const flow = await (await server.call('POST', '/api/v1/flows', { key: owner, json: { name: 'F' } })).json();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    // A 6 MB CSV whose first line is no customer id: refused at once, with most of it still on its way.
    const csv = Buffer.from(`${'C'.repeat(4999)}\n`.repeat(1200));
    const refused = await upload(agent, `/api/v1/flows/${flow.id}/broadcasts?inboxId=inb_x`, { Authorization: `Bearer ${owner}`, 'Content-Type': 'text/csv' }, csv);
    expect(refused).toEqual({ status: 422, upload: 'sent whole' });
    const next = await upload(agent, '/api/v1/verify', { 'Content-Type': 'application/json' }, Buffer.from('{}'));
    expect(next).toEqual({ status: 401, upload: 'sent whole' });
    agent.destroy();
  });
});
