import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { count, eq } from 'drizzle-orm';
import { createCouponEngine } from '@couponflow/coupons';
import { connectDatabase, credentialCipher, keyFromSecret, newId } from '@couponflow/db';
import { createRuntime } from '@couponflow/flow-runtime';
import { startThrowawayRedis } from '../../../flow-runtime/src/testing/throwawayRedis';
import { startAppProcess, type AppProcess } from '../appProcess';
import { expectOk, median, openEndedPeriod } from '../benchKit';
import { broadcastFlow } from '../broadcastFlow';
import type { Measure, Outcome } from '../measure';

const connections = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 50);
const runSeconds = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const tokens = Number(process.env.BENCH_REDEEM_TOKENS ?? 50_000);
// One HTTP process per core, as a 2-core host runs the server (HTTP_PROCESSES).
const httpProcesses = Number(process.env.BENCH_HTTP_PROCESSES ?? 2);
const broadcastContacts = Number(process.env.BENCH_BROADCAST_CONTACTS ?? 100_000);

interface Load {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** requests answered */
  requests: number;
  /** non-2xx answers, errors and timeouts (autocannon gives up on a request after 10 s) */
  failed: number;
}

const timeoutSeconds = 10;

/** autocannon at `connections` for `seconds`; `path(i)` names the i-th request's path. Any non-2xx or error fails the row. */
async function load(url: string, seconds: number, path: (i: number) => string): Promise<Load> {
  let i = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: timeoutSeconds,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: path(i++) }) }],
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  // autocannon's latencies leave out requests that never answered: past 1% of those, the p99 is at least the timeout.
  const p99Ms = failed > result.requests.total / 100 ? timeoutSeconds * 1000 : result.latency.p99;
  return { requestsPerSecond: Math.round(result.requests.average), requests: result.requests.total, p50Ms: result.latency.p50, p99Ms, failed };
}

/**
 * Issue 12: the customer's redeem page `GET /r/:token` against the real server (`server/src/main.ts`
 * as its own processes, ROLE=server with HTTP_PROCESSES=2, on a SQLite file and Redis), autocannon from this process at
 * `connections` connections, each request a different customer's token (the first view of a token
 * marks it opened: a write). Idle: a warm-up, then 3 runs, median. During a broadcast: a worker
 * process (ROLE=worker) runs a 100,000-contact broadcast on the same database and Redis while the
 * page is loaded. Floor: the same server's `/healthz` at the same connections.
 */
function redeemPage(duringBroadcast: boolean): Measure {
  return {
    name: `redeem page GET /r/:token at ${connections} connections, ${httpProcesses} HTTP processes${duringBroadcast ? `, during a ${broadcastContacts.toLocaleString('en-US')}-contact broadcast` : ', idle'}`,
    unit: 'req/s',
    target: duringBroadcast ? { maxP99Ms: 100 } : { atLeast: 3_000, maxP99Ms: 20 },
    async run(): Promise<Outcome> {
      const dir = mkdtempSync(join(tmpdir(), 'couponflow-bench-redeem-'));
      const redis = await startThrowawayRedis();
      const secret = randomBytes(32).toString('hex');
      const databaseUrl = `file:${join(dir, 'app.db')}`;
      const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, SECRET_KEY: secret, DATA_DIR: dir };
      const processes: AppProcess[] = [];
      let closeDb = async () => {};
      let runtime: Awaited<ReturnType<typeof createRuntime>> | undefined;
      try {
        const server = await startAppProcess({ ...env, ROLE: 'server', HTTP_PROCESSES: String(httpProcesses) });
        processes.push(server);
        const connected = await connectDatabase({ url: databaseUrl });
        closeDb = connected.close;
        const engine = createCouponEngine({ db: connected.db });
        const orgId = newId('org');
        await connected.db.insert(connected.db.tables.organisations).values({ id: orgId, name: 'Bench shop', features: { coupons: true }, createdAt: new Date() });
        const coupon = expectOk(await engine.createCoupon(orgId, { name: 'Bench page', code: { type: 'common', value: 'BENCH10' }, activePeriod: openEndedPeriod() }));
        // Customers' offers, put in with one statement (untimed): each request opens a different one.
        connected.db.$client
          .prepare(
            `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
             insert into redemption_records (id, org_id, coupon_id, customer_id, inbox_id, channel, status, code, token, sent_at)
             select printf('rec_%012d', i), ?, ?, 'customer-' || i, 'inbox-bench', 'web', 'sent', 'BENCH10', printf('b%031d', i), ? from n`,
          )
          .run(tokens, orgId, coupon.id, Date.now());
        const tokenPath = (i: number) => `/r/b${String((i % tokens) + 1).padStart(31, '0')}`;

        let broadcastProgress: () => Promise<number> = async () => 0;
        if (duringBroadcast) {
          const worker = await startAppProcess({ ...env, ROLE: 'worker' });
          processes.push(worker);
          const cipher = credentialCipher(keyFromSecret(secret));
          // Only queues here (no workers): the worker process does the broadcast.
          runtime = await createRuntime({ db: connected.db, coupons: (stepDb) => createCouponEngine({ db: stepDb }), redisUrl: redis.url, publicUrl: server.url, cipher });
          const { inboxId, flowId } = await broadcastFlow(connected.db, engine, cipher, orgId);
          const customerIds = Array.from({ length: broadcastContacts }, (_, i) => `contact-${i}`);
          const started = await runtime.startBroadcast({ orgId, flowId, inboxId, customerIds });
          if (!started.ok) throw new Error(started.reason);
          // Hand the chunks to Redis and close: left open, this process's outbox sweep wrote to the
          // database every second and, waiting on the worker's lock, stalled the load generator.
          await runtime.flushOutbox();
          await runtime.close();
          runtime = undefined;
          const { webchatMessages } = connected.db.tables;
          broadcastProgress = async () => (await connected.db.select({ n: count() }).from(webchatMessages).where(eq(webchatMessages.type, 'offer')))[0]?.n ?? 0;
          // Let the broadcast get going before the page is loaded.
          while ((await broadcastProgress()) < 1000) await new Promise((r) => setTimeout(r, 100));
        }

        let offset = 0;
        const next = (i: number) => tokenPath(offset + i);
        await load(server.url, 2, next);
        offset += 1_000_000;
        const runs: Load[] = [];
        const offersBefore = await broadcastProgress();
        const serverCpuBefore = server.cpuSeconds();
        for (let run = 0; run < (duringBroadcast ? 1 : 3); run++) {
          const base = offset;
          runs.push(await load(server.url, duringBroadcast ? runSeconds * 2 : runSeconds, (i) => tokenPath(base + i)));
          offset += 1_000_000;
        }
        const offersAfter = await broadcastProgress();
        const serverCpuMsPerRequest = Math.round(((server.cpuSeconds() - serverCpuBefore) * 1000 * 1000) / runs.reduce((sum, r) => sum + r.requests, 0)) / 1000;
        const healthz = await load(server.url, runSeconds, () => '/healthz');
        const figure = median(runs.map((r) => r.requestsPerSecond));
        const p50Ms = median(runs.map((r) => r.p50Ms));
        const p99Ms = median(runs.map((r) => r.p99Ms));
        const failed = runs.reduce((sum, r) => sum + r.failed, 0);
        const peaks: Record<string, number> = { serverPeakRssMb: server.peakRssMb() };
        if (processes[1]) peaks.workerPeakRssMb = processes[1].peakRssMb();
        return {
          figure,
          p99Ms,
          summary: `p50 ${p50Ms} / p99 ${p99Ms} ms${failed ? `, ${failed} failed` : ''}`,
          floor: { figure: healthz.requestsPerSecond, of: `the same server's /healthz at ${connections} connections (p50 ${healthz.p50Ms} / p99 ${healthz.p99Ms} ms)` },
          details: {
            runs: duringBroadcast ? `a 2 s warm-up, then 1 run of ${runSeconds * 2} s while the broadcast ran` : `a 2 s warm-up, then the median of 3 runs of ${runSeconds} s`,
            distinctTokens: tokens,
            p50Ms,
            p99Ms,
            failedRequests: failed,
            // CPU of the server's processes per request over the timed runs: steadier than rates on a shared machine.
            serverCpuMsPerRequest,
            healthzFailed: healthz.failed,
            ...(duringBroadcast ? { broadcastOffersDuringRun: offersAfter - offersBefore, broadcastOffersAtEnd: offersAfter, broadcastStillRunningAtEnd: offersAfter < broadcastContacts ? 'yes' : 'no' } : {}),
            ...peaks,
          },
        };
      } finally {
        await runtime?.close();
        for (const p of processes.reverse()) await p.stop();
        await closeDb();
        redis.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export const idle = redeemPage(false);
export const duringBroadcast = redeemPage(true);
