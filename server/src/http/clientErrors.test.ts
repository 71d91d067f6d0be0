import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer';

let server: TestServer;
beforeAll(async () => void (server = await startTestServer()));
afterAll(() => server.close());

/** Writes raw bytes to the server and reads what comes back until it hangs up. */
function rawExchange(bytes: string): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('requests refused before they reach the app still get the error model', () => {
  it('headers over Node’s 16 KB limit answer 431 headers_too_large', async () => {
    const res = await server.call('GET', '/api/v1/coupons', { headers: { 'X-Padding': 'x'.repeat(20_000) } });
    expect(res.status).toBe(431);
    expect((await res.json()).error.code).toBe('headers_too_large');
  });

  it('a malformed request line answers 400 bad_request and the connection closes', async () => {
    const answer = await rawExchange('GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code).toBe('bad_request');
  });

  it('a path that nothing serves answers 404 in the error model, for every method', async () => {
    for (const [method, path] of [['GET', '/nothing-here'], ['DELETE', '/healthz'], ['PUT', '/metrics'], ['POST', '/staff']]) {
      const res = await server.call(method!, path!);
      expect(res.status).toBe(404);
      expect((await res.json()).error).toMatchObject({ code: 'not_found', message: expect.any(String) });
    }
  });
});
