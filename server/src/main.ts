import { createCouponEngine } from '@couponflow/coupons';
import { connectDatabase } from '@couponflow/db';
import { createRuntime } from '@couponflow/flow-runtime';
import { pino } from 'pino';
import { createApp } from './app';
import { hashApiKey } from './auth/apiKeys';
import { instanceAdminKey } from './auth/instanceAdminKey';
import { instanceCipher } from './auth/instanceSecretKey';
import { loadConfig } from './config';
import { ClientRateLimiter } from './http/clientRateLimiter';
import { answerClientErrors } from './http/clientErrors';
import { FailedLookupLimiter } from './http/failedLookupLimiter';
import { ensureRedis } from './runtime/ensureRedis';
import { forkHttpProcesses, isHttpChild, workerKinds } from './runtime/httpProcesses';

/** `npm start`: migrate, make sure Redis is there, serve (SPEC §6), from this process or from HTTP_PROCESSES forked ones. */
async function main() {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  // SQLite (file:, the default) or PostgreSQL (postgres://, shared by every process of the
  // instance); migrations are applied first, under a lock when several processes start at once.
  // SQLite's WAL checkpoints run in a thread, not in whichever commit crosses the threshold.
  const { db, close } = await connectDatabase({ url: config.databaseUrl, poolSize: config.databasePoolSize, checkpointInBackground: true });
  logger.info({ database: db.backend }, 'database ready');
  const redis = await ensureRedis(config);
  logger.info({ redis: redis.url, startedRedis: redis.child !== null }, 'redis ready');

  const engine = createCouponEngine({ db });
  const cipher = instanceCipher(config);
  const forksHttp = config.httpProcesses > 1 && !isHttpChild();
  // A primary that only forks HTTP processes (ROLE=server) runs no workers and serves nothing: it
  // needs no runtime (its Redis connections and queues would sit unused).
  const runtime =
    forksHttp && config.role === 'server'
      ? null
      : await createRuntime({
          db,
          // Each step works with the engine inside its own transaction.
          coupons: (stepDb) => createCouponEngine({ db: stepDb }),
          redisUrl: redis.url,
          publicUrl: config.publicUrl,
          prefix: config.redisPrefix,
          cipher,
          log: logger,
          botframework: {
            ...(config.botframeworkOpenIdMetadataUrl ? { openIdMetadataUrl: config.botframeworkOpenIdMetadataUrl } : {}),
            ...(config.botframeworkTokenUrl ? { tokenUrl: config.botframeworkTokenUrl } : {}),
          },
        });
  const kinds = workerKinds(config.role, forksHttp);
  if (runtime && kinds.length) {
    runtime.startWorkers(kinds);
    logger.info({ workers: kinds }, 'flow runtime workers started');
  }
  const stop = async () => {
    // With Redis unreachable, closing its connections can wait forever: SIGTERM still exits.
    setTimeout(() => process.exit(0), 10_000).unref();
    await runtime?.close();
    await close();
    process.exit(0);
  };
  if (config.role === 'worker') {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // Said whatever the log level, as the server's banner is: an operator (or a test) knows it is up.
    console.log(`Couponflow worker is running (${db.backend === 'postgres' ? 'PostgreSQL' : 'SQLite'}; no HTTP port)`);
    return;
  }
  const adminKey = instanceAdminKey(config);
  const banner = () => {
    const lines = [
      `Couponflow is running at ${config.publicUrl}`,
      `  REST API      ${config.publicUrl}/api/v1  (OpenAPI: ${config.publicUrl}/api/v1/openapi.json)`,
      `  Staff page    ${config.publicUrl}/staff`,
      `  Metrics       ${config.publicUrl}/metrics  (Authorization: Bearer <instance admin key>)`,
      `  Queues        ${config.publicUrl}/admin/queues  (instance admin key as password)`,
    ];
    if (config.httpProcesses > 1) lines.push(`  HTTP served by ${config.httpProcesses} processes`);
    if (adminKey.generated) lines.push(`  Instance admin key (shown once, kept in ${adminKey.file}): ${adminKey.key}`);
    else lines.push(`  Instance admin key: ${adminKey.file ? `in ${adminKey.file}` : 'from ADMIN_API_KEY'}`);
    console.log(lines.join('\n'));
  };
  if (forksHttp) {
    // The keys, migrations and Redis are settled above, before any HTTP process starts.
    const http = forkHttpProcesses({ count: config.httpProcesses, role: config.role, redisUrl: redis.url, logger, ready: banner });
    const shutdownAll = async () => {
      setTimeout(() => process.exit(0), 10_000).unref();
      await http.stop();
      await stop();
    };
    process.once('SIGINT', () => void shutdownAll());
    process.once('SIGTERM', () => void shutdownAll());
    return;
  }
  if (!runtime) throw new Error('a process serving HTTP has the runtime');
  // Rate limits count in Redis, so every server process behind a balancer shares them.
  const shared = { redis: runtime.queues.connection, prefix: config.redisPrefix };
  const deps = {
    db,
    engine,
    config,
    limiter: new FailedLookupLimiter(config.rateLimitFailedPerMinute, shared),
    webchatLimiter: new ClientRateLimiter('webchat-messages', config.webchatMessagesPerMinute, shared),
    adminKeyHash: hashApiKey(adminKey.key),
    runtime,
    cipher,
  };
  // A process forked for HTTP leaves the banner to the one that forked it.
  const server = answerClientErrors(createApp(deps, logger).listen(config.port, () => void (isHttpChild() || banner())));
  const shutdown = () => {
    setTimeout(() => process.exit(0), 10_000).unref();
    server.close(() => void stop());
    // Open web chat streams and idle keep-alive sockets would hold the close open forever.
    server.closeAllConnections();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: Error) => {
  console.error(`Couponflow could not start: ${error.message}`);
  process.exit(1);
});
