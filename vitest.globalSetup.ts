import { spawnSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { startThrowawayRedis } from './flow-runtime/src/testing/throwawayRedis';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/**
 * One throwaway redis-server for the whole test run; each test uses its own BullMQ key prefix.
 * The web app is built once up front (when stale), as `npm start` would, so the `npm start` tests
 * do not all wait on one build at once.
 */
export default async function setup(project: TestProject) {
  const build = spawnSync(process.execPath, ['--import', 'tsx', 'flow-editor/scripts/buildIfStale.ts'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building the web app failed');
  const redis = await startThrowawayRedis();
  project.provide('redisUrl', redis.url);
  return async () => {
    redis.stop();
    await redis.exited;
  };
}
