import { sql } from 'drizzle-orm';
import { queryRows } from '@couponflow/db';
import type { ServerDeps } from '../deps';
import { exactPath, jsonHeaders, type LeanRoute } from './leanRoutes';

const healthHeaders = Object.freeze({ 'Cache-Control': 'no-store', ...jsonHeaders });

/** `/healthz`: 200 when the database and Redis answer, 503 naming what is down otherwise. */
export function healthCheck({ db, runtime }: Pick<ServerDeps, 'db' | 'runtime'>): LeanRoute {
  return {
    route: '/healthz',
    match: exactPath('/healthz'),
    handle: async (exchange) => {
      const database = (await databaseAnswers(db)) ? 'up' : 'down';
      const redis = (await runtime.redisReachable()) ? 'up' : 'down';
      const healthy = database === 'up' && redis === 'up';
      exchange.sendJson(healthy ? 200 : 503, healthHeaders, { status: healthy ? 'ok' : 'unavailable', database, redis });
    },
  };
}

async function databaseAnswers(db: ServerDeps['db']): Promise<boolean> {
  try {
    await queryRows(db, sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
