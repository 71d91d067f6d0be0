import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabaseIn } from '@couponflow/db/testing';
import { queueNames } from '../flow-runtime/src/queues/runtimeQueues';
import '../server/src/testing/providedContext';
import { startAppProcess, type AppProcess } from './support/appProcess';
import { couponFlow } from './support/chatWorld';
import { freePort } from './support/npmStart';

const dataDirs: string[] = [];
const apps: AppProcess[] = [];
let held: Server | undefined;
let queue: Queue | undefined;

afterAll(async () => {
  for (const app of apps) if (app.child.exitCode === null) app.kill('SIGKILL');
  await Promise.all(apps.map((app) => app.exited));
  await queue?.close();
  held?.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'couponflow-pg-role-'));
  dataDirs.push(dir);
  return dir;
};

describe('ROLE=server and ROLE=worker processes on one empty PostgreSQL database and one Redis', () => {
  it('migrate it together on start, split the work (no HTTP port for the worker, no workers in the server) and serve a coupon offer end to end', async () => {
    const databaseUrl = await createDatabaseIn(inject('postgresUrl'), `roles_${randomBytes(6).toString('hex')}`);
    const adminKey = `admin-${randomUUID()}`;
    const prefix = `roles${randomUUID()}`;
    const shared = { DATABASE_URL: databaseUrl, REDIS_URL: inject('redisUrl'), REDIS_PREFIX: prefix, SECRET_KEY: randomBytes(32).toString('hex'), ADMIN_API_KEY: adminKey };
    // The worker is given a port something else already listens on: it must never try to take it.
    const busyPort = await freePort();
    held = createServer().listen(busyPort, '127.0.0.1');
    const serverPort = await freePort();
    const [server, worker] = await Promise.all([
      startAppProcess(dataDir(), serverPort, { ...shared, ROLE: 'server' }),
      startAppProcess(dataDir(), busyPort, { ...shared, ROLE: 'worker' }),
    ]);
    apps.push(server, worker);
    // PostgreSQL holds the data: neither process made a SQLite file.
    for (const dir of dataDirs) expect(readdirSync(dir).filter((f) => f.endsWith('.db'))).toEqual([]);

    const call = async (method: string, path: string, { key, json }: { key?: string; json?: unknown } = {}) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}), Accept: 'application/json' },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      const text = await res.text();
      return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
    };
    expect((await call('GET', '/healthz')).body).toEqual({ status: 'ok', database: 'up', redis: 'up' });

    // The offer flow, made over the API of the server process.
    const { body: created } = await call('POST', '/api/v1/orgs', { key: adminKey, json: { name: 'Two hosts shop' } });
    const owner = created.apiKey as string;
    const { body: inbox } = await call('POST', '/api/v1/inboxes', { key: owner, json: { channel: 'webchat', name: 'Web', credentials: {} } });
    const { body: coupon } = await call('POST', '/api/v1/coupons', {
      key: owner,
      json: { name: 'Welcome', code: { type: 'unique', length: 10 }, activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null }, perCustomerLimit: 1 },
    });
    expect((await call('POST', `/api/v1/coupons/${coupon.id}/codes`, { key: owner, json: { generate: 10 } })).status).toBe(201);
    const { body: flow } = await call('POST', '/api/v1/flows', { key: owner, json: { name: 'Welcome' } });
    await call('PUT', `/api/v1/flows/${flow.id}/draft`, { key: owner, json: couponFlow('hello', coupon.id) });
    expect((await call('POST', `/api/v1/flows/${flow.id}/publish`, { key: owner })).status).toBe(201);

    // A visitor writes in: the server queues it, the worker process runs the flow and makes the offer.
    expect((await call('POST', `/api/v1/webchat/${inbox.id}/messages`, { json: { contactId: 'ana', text: 'hello' } })).status).toBe(202);
    let items: Array<{ type: string; text: string | null; buttons: Array<{ url: string }> }> = [];
    for (let i = 0; i < 600 && items.length === 0; i++) {
      items = (await call('GET', `/api/v1/webchat/${inbox.id}/messages?contactId=ana`)).body.items;
      if (items.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(items).toMatchObject([{ type: 'offer', text: 'Here is your coupon, ana!' }]);
    const token = items[0]!.buttons[0]!.url.split('/r/')[1]!;
    const redeemed = await call('POST', `/r/${token}/redeem`);
    expect(redeemed).toMatchObject({ status: 200, body: { status: 'redeemed', code: expect.stringMatching(/^[A-Z0-9]{10}$/) } });

    // The run waiting at the offer resumes by `redeemed`, in the worker process.
    for (let i = 0; i < 600 && items.length < 2; i++) {
      items = (await call('GET', `/api/v1/webchat/${inbox.id}/messages?contactId=ana`)).body.items;
      if (items.length < 2) await new Promise((r) => setTimeout(r, 50));
    }
    expect(items[1]!.text).toBe(`port=redeemed reason= code=${redeemed.body.code}`);

    // Workers on the queues: the worker process's only. Once it stops, none are left.
    queue = new Queue(queueNames.contactShard(0), { connection: { url: inject('redisUrl') }, prefix });
    expect(await queue.getWorkersCount()).toBeGreaterThan(0);
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(await queue.getWorkersCount()).toBe(0);
    expect(worker.output()).not.toContain('EADDRINUSE');
    expect(server.child.exitCode).toBeNull();
  });
});
