import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCouponEngine, type CouponEngine } from '@couponflow/coupons';
import type { BotframeworkOptions } from '@couponflow/channels';
import { connectDatabase, credentialCipher, type CredentialCipher, type Database } from '@couponflow/db';
import { createRuntime, type Runtime, type Senders } from '@couponflow/flow-runtime';
import { pino, type Logger } from 'pino';
import { inject } from 'vitest';
import './providedContext';
import { createApp } from '../app';
import { hashApiKey, newApiKeySecret } from '../auth/apiKeys';
import { ClientRateLimiter } from '../http/clientRateLimiter';
import { answerClientErrors } from '../http/clientErrors';
import { FailedLookupLimiter } from '../http/failedLookupLimiter';

/** Test responses read JSON loosely: each test asserts the shape it expects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TestResponse = Omit<Response, 'json'> & { json(): Promise<any> };

export interface TestServer {
  url: string;
  adminKey: string;
  db: Database;
  runtime: Runtime;
  /** its BullMQ key prefix and credential key: a second server given both (and `database`) stands for another process of the same instance */
  prefix: string;
  cipher: CredentialCipher;
  /** fetch against the server, JSON in and out, with an optional API key */
  call(method: string, path: string, options?: { key?: string; json?: unknown; body?: string | Buffer; headers?: Record<string, string> }): Promise<TestResponse>;
  close(): Promise<void>;
}

/**
 * The real app on a random loopback port over a fresh SQLite file in a temp dir, or over `database`
 * (e.g. a PostgreSQL one from `openTestDatabase`), which the caller closes.
 */
export async function startTestServer({
  database,
  rateLimitFailedPerMinute = 0,
  webchatMessagesPerMinute = 0,
  trustProxy = undefined,
  workers = false,
  senders = {},
  runtimeCoupons = (engine) => engine,
  editorDistDir,
  botframework,
  prefix = `t${randomUUID()}`,
  cipher = credentialCipher(randomBytes(32)),
  logger = pino({ level: 'silent' }),
}: {
  /** a folder standing in for the built web app */
  editorDistDir?: string;
  rateLimitFailedPerMinute?: number;
  webchatMessagesPerMinute?: number;
  trustProxy?: boolean;
  workers?: boolean;
  senders?: Senders;
  /** lets a test put a failing engine under the runtime (the API keeps the real one) */
  runtimeCoupons?: (engine: CouponEngine) => CouponEngine;
  /** Bot Framework metadata and token addresses (a fake's) */
  botframework?: BotframeworkOptions;
  /** the database to serve from instead of a fresh SQLite file; the caller closes it */
  database?: Database;
  prefix?: string;
  cipher?: CredentialCipher;
  /** where the access log goes (silent by default) */
  logger?: Logger;
} = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'couponflow-server-'));
  const { db, close: closeDb } = database ? { db: database, close: async () => undefined } : await connectDatabase({ url: `file:${join(dir, 'test.db')}` });
  const adminKey = newApiKeySecret();
  const engine = createCouponEngine({ db });
  const publicUrl = 'http://couponflow.test';
  // Each test server gets its own BullMQ key prefix on the shared test Redis (unless told to share one).
  const runtime = await createRuntime({
    db,
    coupons: (stepDb) => runtimeCoupons(createCouponEngine({ db: stepDb })),
    redisUrl: inject('redisUrl'),
    publicUrl,
    prefix,
    senders,
    cipher,
    ...(botframework ? { botframework } : {}),
  });
  if (workers) runtime.startWorkers();
  const shared = { redis: runtime.queues.connection, prefix };
  const deps = {
    db,
    engine,
    runtime,
    config: { publicUrl, rateLimitFailedPerMinute, trustProxy, webchatMessagesPerMinute, maxOpenStreams: 50, maxOpenStreamsPerClient: 20 },
    limiter: new FailedLookupLimiter(rateLimitFailedPerMinute, shared),
    webchatLimiter: new ClientRateLimiter('webchat-messages', webchatMessagesPerMinute, shared),
    adminKeyHash: hashApiKey(adminKey),
    editorDistDir,
    cipher,
  };
  const server = answerClientErrors(createApp(deps, logger).listen(0, '127.0.0.1'));
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    adminKey,
    db,
    runtime,
    prefix,
    cipher,
    call: (method, path, { key, json, body, headers = {} } = {}) =>
      fetch(`${url}${path}`, {
        method,
        redirect: 'manual',
        headers: {
          ...(key ? { Authorization: `Bearer ${key}` } : {}),
          ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        body: json !== undefined ? JSON.stringify(json) : body,
      }),
    close: async () => {
      // Open streams (server-sent events) would keep close() waiting forever.
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await runtime.close();
      await closeDb();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An organisation with a key of every role. */
export async function orgWithKeys(server: TestServer, name = 'Shop', features?: { coupons: boolean }) {
  const created = await server.call('POST', '/api/v1/orgs', { key: server.adminKey, json: { name, ...(features ? { features } : {}) } });
  const { org, apiKey: owner } = (await created.json()) as { org: { id: string }; apiKey: string };
  const keyFor = async (role: string) =>
    ((await (await server.call('POST', '/api/v1/api-keys', { key: owner, json: { role } })).json()) as { key: string }).key;
  // A web chat inbox to offer coupons in (distributions name a real inbox of the organisation).
  const inbox = await server.call('POST', '/api/v1/inboxes', { key: owner, json: { channel: 'webchat', name: 'Web', credentials: {} } });
  const inboxId = ((await inbox.json()) as { id: string }).id;
  return { orgId: org.id, owner, admin: await keyFor('admin'), designer: await keyFor('designer'), staff: await keyFor('staff'), inboxId };
}

export const sampleCoupon = {
  name: 'Summer 10% off',
  code: { type: 'unique', length: 8 },
  activePeriod: { startsAt: '2020-01-01T00:00:00Z', endsAt: null },
};
