import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgWithKeys, startTestServer, type TestServer } from '../testing/testServer';
import { jsonDepthExceeds, maxJsonDepth } from './jsonBody';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const bytes = (text: string) => Buffer.from(text);

describe('counting how deep a JSON body nests', () => {
  it('counts arrays and objects alike, up to the limit and one past it', () => {
    expect(jsonDepthExceeds(bytes(nested(3)), 3)).toBe(false);
    expect(jsonDepthExceeds(bytes(nested(4)), 3)).toBe(true);
    expect(jsonDepthExceeds(bytes('{"a":{"b":[{}]}}'), 4)).toBe(false);
    expect(jsonDepthExceeds(bytes('{"a":{"b":[{}]}}'), 3)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(bytes(`{"text":"${'[{'.repeat(50)}"}`), 1)).toBe(false);
    expect(jsonDepthExceeds(bytes(`{"text":"say \\"[[[[\\" and \\\\","x":[[]]}`), 3)).toBe(false);
    expect(jsonDepthExceeds(bytes(`{"text":"é✓ [[[[","x":[[]]}`), 2)).toBe(true);
  });
});

describe('a deeply nested body over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => void (server = await startTestServer()));
  afterAll(() => server.close());

  it('a flow draft nested 5,000 levels deep answers 400 json_too_deep (it used to be a 500) and leaves the draft alone', async () => {
    const { designer } = await orgWithKeys(server);
    const flow = await (await server.call('POST', '/api/v1/flows', { key: designer, json: { name: 'Deep' } })).json();
    const node = (data: string) => `{"nodes":[{"id":"a","type":"start","position":{"x":0,"y":0},"data":{"x":${data}}}],"edges":[]}`;
    const res = await server.call('PUT', `/api/v1/flows/${flow.id}/draft`, {
      key: designer,
      body: node(nested(5000)),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'json_too_deep', message: expect.stringContaining(String(maxJsonDepth)) });
    expect((await (await server.call('GET', `/api/v1/flows/${flow.id}`, { key: designer })).json()).draft).toEqual({ nodes: [], edges: [] });

    const shallow = await server.call('PUT', `/api/v1/flows/${flow.id}/draft`, {
      key: designer,
      body: node(nested(maxJsonDepth - 5)),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(shallow.status).toBe(200);
  });
});
