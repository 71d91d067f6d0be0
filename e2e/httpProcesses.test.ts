import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { FakeMessenger } from '@couponflow/channels/testing';
import { freePort } from '../flow-runtime/src/testing/throwawayRedis';
import { httpChildren } from '../server/src/testing/httpChildren';
import '../server/src/testing/providedContext';
import { startAppProcess, type AppProcess } from './support/appProcess';

const dataDir = mkdtempSync(join(tmpdir(), 'couponflow-http-processes-'));
let app: AppProcess | undefined;
const cleanups: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  for (const pid of childrenOf(app?.pid ?? -1)) process.kill(pid, 'SIGKILL');
  app?.kill('SIGKILL');
  await app?.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

const childrenOf = httpChildren;

async function call(method: string, path: string, key: string | undefined, json?: unknown) {
  const res = await fetch(`${app!.url}${path}`, {
    method,
    headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), 'Content-Type': 'application/json', Accept: 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

async function until(what: string, condition: () => boolean, look?: () => Promise<void>) {
  for (let i = 0; i < 300; i++) {
    await look?.();
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('HTTP_PROCESSES=2: the HTTP server on both cores', () => {
  it('serves the API and the redeem page from two processes, replaces one that dies, and stops them all on SIGTERM', async () => {
    app = await startAppProcess(dataDir, await freePort(), { REDIS_URL: inject('redisUrl'), REDIS_PREFIX: `http${Date.now()}`, HTTP_PROCESSES: '2' });
    expect(app.output()).toContain('HTTP served by 2 processes');
    expect(app.output().match(/Couponflow is running/g)).toHaveLength(1);
    const [first, second] = childrenOf(app.pid);
    expect(childrenOf(app.pid)).toHaveLength(2);

    const adminKey = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
    const owner = (await call('POST', '/api/v1/orgs', adminKey, { name: 'Two cores' })).body.apiKey as string;
    const inbox = (await call('POST', '/api/v1/inboxes', owner, { channel: 'webchat', name: 'Web', credentials: {} })).body;
    const coupon = (await call('POST', '/api/v1/coupons', owner, { name: 'Both', code: { type: 'common', value: 'BOTH10' }, activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null } })).body;
    const offers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => (await call('POST', `/api/v1/coupons/${coupon.id}/distributions`, owner, { customerId: `c${i}`, inboxId: inbox.id })).body),
    );
    const pages = await Promise.all(offers.map(async (offer) => (await call('GET', `/r/${offer.token}`, undefined)).status));
    expect(pages).toEqual(offers.map(() => 200));

    // Contacts write the keyword. The first process runs the flow steps and delivers web chat
    // (whose delivery writes the database); the HTTP processes deliver the platforms' messages.
    const flow = (await call('POST', '/api/v1/flows', owner, { name: 'Keyword' })).body;
    const node = (id: string, type: string, data: unknown) => ({ id, type, position: { x: 0, y: 0 }, data });
    await call('PUT', `/api/v1/flows/${flow.id}/draft`, owner, {
      nodes: [node('start', 'start', { trigger: { type: 'keyword', keywords: ['deal'] } }), node('offer', 'distribute_coupon', { couponId: coupon.id, message: 'Yours', buttonTitle: 'Open' })],
      edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'offer' }],
    });
    expect((await call('POST', `/api/v1/flows/${flow.id}/publish`, owner)).status).toBe(201);
    const visitors = ['v1', 'v2', 'v3'];
    for (const contactId of visitors) expect((await call('POST', `/api/v1/webchat/${inbox.id}/messages`, undefined, { contactId, text: 'deal' })).status).toBe(202);
    const messenger = await new FakeMessenger().start();
    cleanups.push(() => messenger.close());
    const page = (await call('POST', '/api/v1/inboxes', owner, { channel: 'messenger', name: 'Page', credentials: messenger.credentials, apiBaseUrl: messenger.url })).body;
    const fans = ['2001', '2002', '2003'];
    for (const psid of fans) {
      const { body, headers } = messenger.webhook(psid, 'deal');
      expect((await fetch(`${app.url}/webhooks/${page.id}`, { method: 'POST', headers, body })).status).toBe(200);
    }
    const botSaid = async (contactId: string) => (await call('GET', `/api/v1/webchat/${inbox.id}/messages?contactId=${contactId}`, undefined)).body.items as Array<{ text: string }>;
    for (const contactId of visitors) {
      let items: Array<{ text: string }> = [];
      await until(`the offer reaches ${contactId}`, () => items.length > 0, async () => void (items = await botSaid(contactId)));
      expect(items).toEqual([expect.objectContaining({ text: 'Yours' })]);
    }
    const offersTo = () => messenger.accepted('/me/messages').map((r) => (r.body as { recipient: { id: string } }).recipient.id);
    await until('the offers reach the Messenger fans', () => fans.every((psid) => offersTo().includes(psid)));
    expect(offersTo().sort()).toEqual(fans);

    // One HTTP process dies (its open connections with it): a new one takes its place.
    process.kill(first!, 'SIGKILL');
    await until('a new HTTP process replaces the one that died', () => {
      const now = childrenOf(app!.pid);
      return now.length === 2 && !now.includes(first!) && now.includes(second!);
    });
    expect((await call('POST', `/r/${offers[0].token}/redeem`, undefined)).body).toMatchObject({ status: 'redeemed', code: 'BOTH10' });
    expect((await call('GET', `/api/v1/coupons/${coupon.id}/stats`, owner)).body).toMatchObject({ sent: 20 + visitors.length + fans.length, redeemed: 1 });

    const children = childrenOf(app.pid);
    app.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(children.filter((pid) => existsProcess(pid))).toEqual([]);
  });
});

function existsProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
