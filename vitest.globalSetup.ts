import { spawnSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { preparePostgresTemplate, startThrowawayPostgres } from './db/src/testing';
import { startThrowawayRedis } from './flow-runtime/src/testing/throwawayRedis';

/**
 * One throwaway redis-server for the whole test run; each test uses its own BullMQ key prefix.
 * Likewise one throwaway PostgreSQL cluster; each test copies its own database from a migrated template.
 * The web app is built once up front (when stale), as `npm start` would, so the `npm start` tests
 * do not all wait on one build at once.
 */
export default async function setup(project: TestProject) {
  const build = spawnSync(process.execPath, ['--import', 'tsx', 'flow-editor/scripts/buildIfStale.ts'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building the web app failed');
  const [redis, postgres] = await Promise.all([startThrowawayRedis(), startThrowawayPostgres()]);
  project.provide('redisUrl', redis.url);
  await preparePostgresTemplate(postgres.url);
  project.provide('postgresUrl', postgres.url);
  return async () => {
    redis.stop();
    await Promise.all([redis.exited, postgres.stop()]);
  };
}
