import type { TestProject } from 'vitest/node';
import { startThrowawayRedis } from './flow-runtime/src/testing/throwawayRedis';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** One throwaway redis-server for the whole test run; each test uses its own BullMQ key prefix. */
export default async function setup(project: TestProject) {
  const redis = await startThrowawayRedis();
  project.provide('redisUrl', redis.url);
  return async () => {
    redis.stop();
    await redis.exited;
  };
}
