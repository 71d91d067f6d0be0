import type BetterSqlite3 from 'better-sqlite3';

// Between attempts: short at first (another process's commit is usually over in a millisecond or two).
const firstPauseMs = 1;
const longestPauseMs = 16;

/**
 * BEGIN IMMEDIATE that waits for another process's write lock without blocking this one. SQLite's
 * own busy wait sleeps inside the call, which froze this process's event loop (every request it
 * was serving, reads included) for as long as the other process wrote. Here an attempt does not
 * wait; between attempts the event loop runs. It gives up after the connection's busy timeout.
 * Undefined when the transaction began at once (the usual case, no promise to wait on).
 */
export function sqliteBegin(client: BetterSqlite3.Database): () => Promise<void> | undefined {
  const patienceMs = client.pragma('busy_timeout', { simple: true }) as number;
  // SQLite applies this pragma when it is compiled, not when it runs: it cannot be a prepared statement.
  const noWait = () => client.pragma('busy_timeout = 0');
  const wait = () => client.pragma(`busy_timeout = ${patienceMs}`);
  const begin = client.prepare('BEGIN IMMEDIATE');
  const began = (waitedMs: number): boolean => {
    noWait();
    try {
      begin.run();
      return true;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || waitedMs >= patienceMs) throw error;
      return false;
    } finally {
      wait();
    }
  };
  const later = async () => {
    for (let waitedMs = 0, pauseMs = firstPauseMs; ; waitedMs += pauseMs, pauseMs = Math.min(2 * pauseMs, longestPauseMs)) {
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      if (began(waitedMs + pauseMs)) return;
    }
  };
  return () => (began(0) ? undefined : later());
}
