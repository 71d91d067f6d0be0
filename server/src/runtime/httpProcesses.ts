import cluster, { type Worker } from 'node:cluster';
import { allWorkerKinds, type WorkerKinds } from '@couponflow/flow-runtime';
import type { Logger } from 'pino';
import type { Role } from '../config';

/**
 * `HTTP_PROCESSES=N`: this process forks N HTTP server processes that share its port (node:cluster
 * hands them the connections), so the redeem page and the API use every core. They serve HTTP
 * (ROLE=server) against the same database and Redis, and with ROLE=all they deliver outbound
 * messages too (see `workerKinds`). One that dies is replaced. `ready` fires once all of them listen.
 */
export function forkHttpProcesses({ count, role, redisUrl, logger, ready }: { count: number; role: Role; redisUrl: string; logger: Logger; ready: () => void }) {
  let stopping = false;
  let listening = 0;
  const env = { ROLE: 'server', REDIS_URL: redisUrl, [childWorkersVariable]: role === 'all' ? 'outbound' : '' };
  const fork = (): void => {
    const child = cluster.fork(env);
    child.once('listening', () => {
      if (++listening === count) ready();
    });
    child.once('exit', (code, signal) => {
      if (stopping) return;
      logger.error({ pid: child.process.pid, code, signal }, 'an HTTP server process stopped; starting another');
      fork();
    });
  };
  for (let i = 0; i < count; i++) fork();
  return {
    /** SIGTERM to each (they finish what they serve), resolved once all have exited */
    async stop(): Promise<void> {
      stopping = true;
      const alive = Object.values(cluster.workers ?? {}).filter((child): child is Worker => !!child && !child.isDead());
      await Promise.all(alive.map((child) => new Promise((exited) => {
        child.once('exit', exited);
        child.process.kill('SIGTERM');
      })));
    },
  };
}

/** A process forked by `forkHttpProcesses`: it serves, and leaves the banner to the process that forked it. */
export const isHttpChild = () => cluster.isWorker;

/** Tells a forked HTTP process which of the runtime's workers it runs beside serving. */
export const childWorkersVariable = 'COUPONFLOW_HTTP_PROCESS_WORKERS';

/**
 * Which of the flow runtime's workers this process runs (SPEC §6: ROLE=server none, ROLE=worker
 * all). ROLE=all on one process: all. ROLE=all with forked HTTP processes spreads them so no one
 * process carries every event: this first process keeps the workers that write the database on
 * every item (flow steps, web chat delivery, broadcasts), so SQLite keeps one writer and its group
 * commits (measured: steps or web chat delivery in the HTTP processes as well cost more CPU per
 * item, and a web chat broadcast went a third slower), and the HTTP processes deliver the platform
 * channels' messages, which only read the database.
 */
export function workerKinds(role: Role, forksHttp: boolean, { child = isHttpChild(), env = process.env }: { child?: boolean; env?: NodeJS.ProcessEnv } = {}): WorkerKinds {
  if (child) return allWorkerKinds.filter((kind) => (env[childWorkersVariable] ?? '').split(',').includes(kind));
  if (role === 'server') return [];
  if (role === 'all' && forksHttp) return allWorkerKinds.filter((kind) => kind !== 'outbound');
  return allWorkerKinds;
}
