import { performance } from 'node:perf_hooks';
import type BetterSqlite3 from 'better-sqlite3';

interface WriteLock {
  /** the connection's own busy timeout, ms (how long a BEGIN may wait in all) */
  timeoutMs: number;
  /** until when BEGINs here take the lock without SQLite's blocking wait (another process was seen writing) */
  contendedUntil: number;
}

const locks = new WeakMap<BetterSqlite3.Database, WriteLock>();
/** A BEGIN slower than this waited for another connection's lock. */
const waitedMs = 2;
/** How long a seen contention keeps the non-blocking way on. */
const contendedForMs = 10_000;

const isBusy = (error: unknown) => (error as { code?: string }).code === 'SQLITE_BUSY';

/**
 * Runs `begin` (a BEGIN IMMEDIATE) without blocking the event loop while another process holds the
 * database's write lock. SQLite's own busy wait sleeps in the calling thread: with a worker process
 * writing a broadcast to the same file, every request of the server stalled until the lock came
 * free, reads and /healthz included. Once a BEGIN on this connection has had to wait, the next
 * ones (for 10 s) try the lock without waiting and try again every ms for
 * as long as the connection's busy timeout allows; then SQLite's own wait makes the last try, and
 * its SQLITE_BUSY reaches the caller as before. The busy timeout is switched by PRAGMA (SQLite
 * applies it when the PRAGMA is compiled, so it cannot be prepared once), which costs a few µs:
 * a connection nobody else writes to never pays it.
 */
export async function beginImmediate(client: BetterSqlite3.Database, begin: BetterSqlite3.Statement): Promise<void> {
  let lock = locks.get(client);
  if (!lock) locks.set(client, (lock = { timeoutMs: Number(client.pragma('busy_timeout', { simple: true })), contendedUntil: -Infinity }));
  const started = performance.now();
  if (started >= lock.contendedUntil) {
    try {
      begin.run();
    } finally {
      if (performance.now() - started > waitedMs) lock.contendedUntil = performance.now() + contendedForMs;
    }
    return;
  }
  const deadline = started + lock.timeoutMs;
  while (performance.now() < deadline) {
    client.pragma('busy_timeout = 0');
    try {
      begin.run();
      return;
    } catch (error) {
      if (!isBusy(error)) throw error;
      lock.contendedUntil = performance.now() + contendedForMs;
    } finally {
      client.pragma(`busy_timeout = ${lock.timeoutMs}`);
    }
    // Every ms: the other process takes the lock again soon after it commits, and longer pauses
    // lost most of those races.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  begin.run();
}
