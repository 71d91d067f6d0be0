import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactPath, leanRoutes, segmentAfter, type LeanRoute } from './leanRoutes';
import { createMetrics } from './metrics';

const logLines: string[] = [];
const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => void (logLines.push(String(chunk)), done()) }));
const metrics = createMetrics();
const securityHeaders = { 'Content-Security-Policy': "default-src 'self'", 'X-Content-Type-Options': 'nosniff' };
const pageHeaders = Object.freeze({ 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'", 'Content-Type': 'text/plain; charset=utf-8' });

const routes: LeanRoute[] = [
  { route: '/hello/:name', match: segmentAfter('/hello/'), handle: async (exchange, name) => exchange.send(200, pageHeaders, ['hello ', Buffer.from(name)]) },
  {
    route: '/broken',
    match: exactPath('/broken'),
    handle: async () => {
      throw new Error('the disk is on fire');
    },
  },
];

let server: Server;
let url: string;
beforeAll(async () => {
  const app = leanRoutes(routes, { logger, metrics, securityHeaders, clientIp: (req) => req.socket.remoteAddress, etag: () => undefined }, (_req, res) => void res.end('the app'));
  server = createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((done) => server.close(done)));

describe('lean routes', () => {
  it('answer with the security headers, their own headers (the page’s CSP in place of the stack’s), a request id and the length', async () => {
    const res = await fetch(`${url}/hello/ada`, { headers: { 'X-Request-Id': 'till-3' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello ada');
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'content-security-policy': "default-src 'none'",
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'x-request-id': 'till-3',
      'content-length': '9',
    });
    expect(await metrics.registry.getSingleMetricAsString('http_request_duration_seconds')).toMatch(/_count\{method="GET",route="\/hello\/:name",status="200"\} 1/);
    expect(logLines.some((line) => line.includes('"url":"/hello/:name"') && !line.includes('ada'))).toBe(true);
  });

  it('answer HEAD with the same headers and no body', async () => {
    const res = await fetch(`${url}/hello/ada`, { method: 'HEAD' });
    expect(res.headers.get('content-length')).toBe('9');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.text()).toBe('');
  });

  it('answer the unexpected with the error model, logged', async () => {
    const res = await fetch(`${url}/broken`);
    expect(res.status).toBe(500);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(await res.json()).toEqual({ error: { code: 'internal_error', message: 'Something went wrong on our side', details: [] } });
    expect(logLines.some((line) => line.includes('the disk is on fire'))).toBe(true);
  });

  it('hand every other path and method to the app', async () => {
    for (const [method, path] of [['GET', '/'], ['POST', '/hello/ada'], ['GET', '/hello/a/b'], ['GET', '/brokenx']] as const)
      expect(await (await fetch(`${url}${path}`, { method })).text()).toBe('the app');
  });
});
