import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformRequest } from './platformRequest';

let server: Server;
let base: string;
const seen: Array<{ method?: string; type?: string; body: string }> = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method, type: req.headers['content-type'], body });
      if (req.url === '/ok') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"message_id":"m.1"}');
      if (req.url === '/busy') return void res.writeHead(429, { 'Retry-After': '7' }).end('not json');
      // '/hang': answers never come; the caller's timeout must end the wait.
    });
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('a call to a platform', () => {
  it('posts JSON and reads the JSON answer', async () => {
    const response = await platformRequest(`${base}/ok`, { method: 'POST', json: { recipient: { id: 'u1' } }, timeoutMs: 5_000 });
    expect(response).toMatchObject({ status: 200, ok: true, body: { message_id: 'm.1' } });
    expect(seen.at(-1)).toEqual({ method: 'POST', type: 'application/json', body: '{"recipient":{"id":"u1"}}' });
  });

  it('hands back a refusal with its headers, and a body that is not JSON as undefined', async () => {
    const response = await platformRequest(`${base}/busy`, { timeoutMs: 5_000 });
    expect(response).toMatchObject({ status: 429, ok: false, body: undefined });
    expect(response.header('Retry-After')).toBe('7');
  });

  it('gives up on a platform that never answers', async () => {
    await expect(platformRequest(`${base}/hang`, { timeoutMs: 200 })).rejects.toThrow(/timeout/i);
  });
});
