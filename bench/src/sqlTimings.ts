import { performance } from 'node:perf_hooks';
import type { Database } from '@couponflow/db';

type Timing = { calls: number; ms: number };
const timings = new Map<string, Timing>();
const shortened = new Map<string, string>();

function add(key: string, ms: number) {
  const t = timings.get(key) ?? { calls: 0, ms: 0 };
  t.calls++;
  t.ms += ms;
  timings.set(key, t);
}

/** The SQL with long column lists and multi-row VALUES folded, so statements stay apart by their WHERE clause. */
const short = (sql: string) =>
  sql
    .replace(/\s+/g, ' ')
    .replace(/(\(\?, \?, \?\), )+/g, '(?, ?, ?)…, ')
    .replace(/^select ("[a-z_]+", ){3,}"[a-z_]+" from/, 'select … from')
    .replace(/returning ("[a-z_]+", ){3,}"[a-z_]+"/, 'returning …')
    .replace(/^insert into ("[a-z_]+") \(("[a-z_]+", ){3,}"[a-z_]+"\)/, 'insert into $1 (…)')
    .slice(0, 200);

/**
 * Profiling aid (BENCH_SQL_TIMINGS=1): wraps the connection's `prepare` so that the time spent compiling
 * and running each SQL text is summed. Everything else the engine does is what remains of the wall time.
 */
export function timeSqlStatements(db: Database): void {
  const client = db.$client;
  const prepare = client.prepare.bind(client);
  client.prepare = ((sql: string) => {
    const t0 = performance.now();
    const statement = prepare(sql);
    const key = shortened.get(sql) ?? shortened.set(sql, short(sql)).get(sql)!;
    add('(prepare) ' + key, performance.now() - t0);
    for (const method of ['run', 'get', 'all'] as const) {
      const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        const t1 = performance.now();
        try {
          return original(...args);
        } finally {
          add(`(${method}) ${key}`, performance.now() - t1);
        }
      };
    }
    return statement;
  }) as typeof client.prepare;
}

/** The `limit` statements that took longest, as `ms total / calls` lines. */
export function sqlTimingReport(limit = 12): string[] {
  return [...timings]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, limit)
    .map(([sql, t]) => `${t.ms.toFixed(0).padStart(7)} ms ${String(t.calls).padStart(8)}× ${sql}`);
}
