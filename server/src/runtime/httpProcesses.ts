import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/**
 * `HTTP_PROCESSES=N`: this process forks N HTTP server processes that share its port (node:cluster
 * hands them the connections), so the redeem page and the API use every core. They serve HTTP
 * only (ROLE=server) against the same database and Redis; the flow runtime's workers stay in this
 * process. One that dies is replaced. `ready` fires once all of them listen.
 */
export function forkHttpProcesses({ count, redisUrl, logger, ready }: { count: number; redisUrl: string; logger: Logger; ready: () => void }) {
  let stopping = false;
  let listening = 0;
  const env = { ROLE: 'server', REDIS_URL: redisUrl };
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
