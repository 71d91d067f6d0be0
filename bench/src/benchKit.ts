import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCouponEngine, type CouponEngine } from '@couponflow/coupons';
import { connectDatabase, newId, type Database, type DatabaseDialect } from '@couponflow/db';
import { startThrowawayPostgres } from '../../db/src/testing/throwawayPostgres';
import { StatementRecorder } from './floors/statementReplay';
import { sqlTimingReport, timeSqlStatements } from './sqlTimings';

/** Peak resident set size of this process so far (getrusage ru_maxrss, KiB on Linux), in MB. */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/**
 * Current resident memory split as Linux counts it (/proc/self/status): anonymous (heap, SQLite page
 * cache) vs file-backed (code, and database pages when SQLite memory-maps the file). Both count as RSS.
 */
export function rssSplitMb(): Record<string, number> {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssAnonMb: Math.round(kb('RssAnon') / 1024), rssFileMb: Math.round(kb('RssFile') / 1024) };
}

/**
 * Runs `work` and answers how long it took, in seconds, with its result, and the CPU time this
 * process spent meanwhile (user + system): on a shared machine it varies less than the wall time.
 */
export async function timed<T>(work: () => T | Promise<T>): Promise<{ seconds: number; cpuSeconds: number; result: T }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: Math.round((used.user + used.system) / 1000) / 1000, result };
}

export interface BenchWorld {
  dir: string;
  db: Database;
  engine: CouponEngine;
  orgId: string;
  /** present when asked for (SQLite only): records the statements run between start() and stop() */
  recorder: StatementRecorder | undefined;
  close(): Promise<void>;
}

/**
 * A fresh database with one organisation and an engine on it: a SQLite file (WAL, migrated) in its
 * own temp directory, or a migrated database in a throwaway PostgreSQL cluster on this machine.
 */
export async function benchWorld(backend: DatabaseDialect = 'sqlite', options: { recordStatements?: boolean } = {}): Promise<BenchWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'couponflow-bench-'));
  const cluster = backend === 'postgres' ? await startThrowawayPostgres() : undefined;
  const url = cluster ? await cluster.createDatabase('couponflow_bench') : `file:${join(dir, 'bench.db')}`;
  // As a running server has it (main.ts): WAL checkpoints in a thread of their own, not in commits.
  const { db, close } = await connectDatabase({ url, checkpointInBackground: true });
  // Wrapped before the app prepares anything, so every statement it runs is seen (the engine rows' floor).
  const recorder = options.recordStatements && backend === 'sqlite' ? new StatementRecorder(db.$client) : undefined;
  if (process.env.BENCH_SQL_TIMINGS && backend === 'sqlite') timeSqlStatements(db);
  const orgId = newId('org');
  await db.insert(db.tables.organisations).values({ id: orgId, name: 'Bench shop', features: { coupons: true }, createdAt: new Date() });
  return {
    dir,
    db,
    recorder,
    engine: createCouponEngine({ db }),
    orgId,
    async close() {
      if (process.env.BENCH_SQL_TIMINGS && backend === 'sqlite') console.error(['SQL time by statement:', ...sqlTimingReport()].join('\n'));
      await close();
      await cluster?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Unwraps an engine Result the bench expects to succeed. */
export function expectOk<T>(result: { ok: true; value: T } | { ok: false; reason: string; message: string }): T {
  if (!result.ok) throw new Error(`expected success, got ${result.reason}: ${result.message}`);
  return result.value;
}

/** Active since yesterday, never ends: every cycle of the bench falls inside it. */
export function openEndedPeriod() {
  return { startsAt: new Date(Date.now() - 86_400_000).toISOString(), endsAt: null };
}

/** Peak resident set size of another process (or this one), VmHWM from /proc: read it before the process exits. */
export function vmHwmMb(pid: number | 'self' = 'self'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024);
}

/** CPU time a process has used so far (user + system), in seconds, from /proc (clock ticks of 1/100 s). */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The middle value (the lower middle of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Ratio of time per item, large run ÷ small run: 1 means flat, above 1 means each item got slower. */
export function growth(small: { items: number; seconds: number }, large: { items: number; seconds: number }): number {
  return Math.round((large.seconds / large.items / (small.seconds / small.items)) * 100) / 100;
}
