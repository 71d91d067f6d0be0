import { performance } from 'node:perf_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from './database';
import { incrementsOf, type IncrementsAtCommit } from './incrementsAtCommit';
import { RowsAtCommit } from './rowsAtCommit';
import { checkpointWantsWriteLock } from './walCheckpointer';

type Work<T> = (tx: Database) => Promise<T> | T;

interface Pending {
  db: Database;
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** its only effects are its statements: it may run again from the start (see `together`) */
  rerunnable: boolean;
}

// Past this many, the rest wait for the next commit: one slow batch must not hold everyone.
const maxBatch = 256;
// A transaction requested this soon after the last commit finds the writer busy: it waits a turn to gather company.
const busyWithinMs = 1;
// Another process holds the write lock: BEGIN is tried again after this pause, without blocking the event loop.
const busyPauseMs = 1;
// For this long after BEGIN last found another process writing, a process that has held the lock
// for `turnMs` (commit after commit) leaves it free for a moment before its next BEGIN: otherwise it
// takes it again at once and the other, polling, rarely gets a turn. Turns of several commits keep
// the hand-overs (each one costs the next writer its page cache) few.
const sharedForMs = 1000;
const turnMs = 10;
// The longest this process leaves the write lock to its checkpoint thread starting the log over (it gives up after 50 ms).
const maxCheckpointWaitMs = 100;

/**
 * SQLite's write transactions for one connection, with group commit: while the writer is busy, the
 * transactions requested in the same turn of the event loop (requests that arrive together) run one after another inside
 * one BEGIN IMMEDIATE … COMMIT, each in its own savepoint. A transaction that throws rolls back to
 * its savepoint alone; each caller gets its own result once the shared commit is durable. The
 * commit is what a write costs most on SQLite, so a busy server pays it once per batch.
 */
export class SqliteGroupCommit {
  private readonly queue: Pending[] = [];
  private running = false;
  private scheduled = false;
  private lastCommitAt = -Infinity;
  private sharedUntil = -Infinity;
  /** since when this process has left the write lock to its checkpoint thread */
  private checkpointWaitSince: number | undefined;
  /** when this process's current run of back-to-back write transactions began */
  private turnStartedAt = -Infinity;
  private readonly statements: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo', BetterSqlite3.Statement>;
  /** nested savepoints of the work running now */
  savepoints = 0;
  /** rows the running transactions insert just before they end (the audit trail) */
  readonly rowsAtCommit: RowsAtCommit;
  /** counter increments the running transactions leave for the end of the commit */
  readonly increments: IncrementsAtCommit;
  /** what group commit saved so far: transactions run, commits made */
  readonly counts = { commits: 0, transactions: 0, busyWaits: 0 };

  /** the connection's own busy timeout: how long BEGIN keeps trying while another process writes */
  private readonly busyTimeoutMs: number;
  private readonly restoreBusyTimeout: string;

  constructor(private readonly client: BetterSqlite3.Database) {
    this.busyTimeoutMs = Number(client.pragma('busy_timeout', { simple: true }));
    this.restoreBusyTimeout = `PRAGMA busy_timeout = ${this.busyTimeoutMs}`;
    this.rowsAtCommit = new RowsAtCommit(client);
    this.increments = incrementsOf(client);
    const statement = (text: string) => client.prepare(text);
    this.statements = {
      begin: statement('BEGIN IMMEDIATE'),
      commit: statement('COMMIT'),
      rollback: statement('ROLLBACK'),
      savepoint: statement('SAVEPOINT grouped'),
      release: statement('RELEASE grouped'),
      rollbackTo: statement('ROLLBACK TO grouped'),
    };
  }

  run<T>(db: Database, work: Work<T>, rerunnable = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ db, work, resolve: resolve as (value: unknown) => void, reject, rerunnable });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    // Busy (the last commit just happened): wait for the rest of this poll phase's I/O callbacks, so
    // every request that arrived with this one joins it. Idle: start now, nobody else is coming.
    const now = performance.now();
    if (now < this.sharedUntil && now - this.turnStartedAt >= turnMs) {
      this.turnStartedAt = Infinity;
      setTimeout(this.flushNow, busyPauseMs);
    } else if (now - this.lastCommitAt < busyWithinMs) setImmediate(this.flushNow);
    else queueMicrotask(this.flushNow);
  }

  private readonly flushNow = () => {
    if (this.leavesLockToCheckpoint()) setTimeout(this.flushNow, busyPauseMs);
    else void this.flush();
  };

  /**
   * This process's checkpoint thread waits for the write lock to start the log over (see
   * checkpointInBackground): no BEGIN until it is done, for `maxCheckpointWaitMs` at most.
   */
  private leavesLockToCheckpoint(): boolean {
    if (!checkpointWantsWriteLock(this.client)) {
      this.checkpointWaitSince = undefined;
      return false;
    }
    const now = performance.now();
    this.checkpointWaitSince ??= now;
    return now - this.checkpointWaitSince < maxCheckpointWaitMs;
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.running = true;
    const batch = this.queue.splice(0, maxBatch);
    try {
      if (batch.length === 1) await this.alone(batch[0]!);
      else await this.together(batch);
    } finally {
      this.running = false;
      this.lastCommitAt = performance.now();
      if (this.queue.length) this.schedule();
    }
  }

  /** One transaction, as a plain BEGIN … COMMIT. */
  private async alone(item: Pending): Promise<void> {
    const { commit, rollback } = this.statements;
    try {
      await this.begin();
      const result = await item.work(this.transactionOf(item.db));
      this.writeLeftForCommit();
      commit.run();
      this.counted(1);
      item.resolve(result);
    } catch (error) {
      this.forgetLeftForCommit();
      if (this.client.inTransaction) rollback.run();
      item.reject(error);
    }
  }

  private async together(batch: Pending[]): Promise<void> {
    const { commit, rollback, savepoint, release, rollbackTo } = this.statements;
    try {
      await this.begin();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    const outcomes: Array<() => void> = [];
    // A bare transaction failed (or the rows the bare ones queued would not go in): the whole batch
    // rolls back and runs again, each transaction in its savepoint.
    const again = () => {
      this.forgetLeftForCommit();
      if (this.client.inTransaction) rollback.run();
      for (const item of batch) item.rerunnable = false;
      this.queue.unshift(...batch);
    };
    // A savepoint copies every page its transaction touches (a fifth of a short transaction's
    // cost). While every transaction of the batch so far may run again, none takes one: if one
    // throws, the whole batch rolls back, and runs again with a savepoint each.
    let bare = true;
    for (const item of batch) {
      bare &&= item.rerunnable;
      if (bare) {
        try {
          const result = await item.work(this.transactionOf(item.db));
          outcomes.push(() => item.resolve(result));
          continue;
        } catch {
          return again();
        }
      }
      // From here on each transaction writes what it left for the commit inside its own savepoint.
      try {
        this.writeLeftForCommit();
      } catch {
        return again();
      }
      savepoint.run();
      try {
        const result = await item.work(this.transactionOf(item.db));
        this.writeLeftForCommit();
        release.run();
        outcomes.push(() => item.resolve(result));
      } catch (error) {
        this.forgetLeftForCommit();
        rollbackTo.run();
        release.run();
        outcomes.push(() => item.reject(error));
      }
    }
    try {
      this.writeLeftForCommit();
    } catch {
      return again();
    }
    try {
      commit.run();
    } catch (error) {
      if (this.client.inTransaction) rollback.run();
      for (const item of batch) item.reject(error);
      return;
    }
    this.counted(batch.length);
    for (const settle of outcomes) settle();
  }

  /**
   * BEGIN IMMEDIATE, waiting for another process's write transaction without blocking: SQLite's own
   * busy handler sleeps inside the call, which would freeze this process's event loop (its reads,
   * its HTTP) for as long as the other process writes. Here BEGIN fails at once while the lock is
   * taken and is tried again after a short timer, up to the connection's busy timeout.
   */
  private async begin(): Promise<void> {
    const started = performance.now();
    for (;;) {
      // A busy_timeout PRAGMA acts when compiled: it cannot be prepared once and run again. exec
      // compiles and runs it in C: about 1.5 µs, against 8 µs through pragma() (a JS statement each).
      this.client.exec('PRAGMA busy_timeout = 0');
      try {
        this.statements.begin.run();
        if (this.turnStartedAt === Infinity || performance.now() - this.lastCommitAt >= busyWithinMs) this.turnStartedAt = performance.now();
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY' || performance.now() - started >= this.busyTimeoutMs) throw error;
      } finally {
        this.client.exec(this.restoreBusyTimeout);
      }
      this.counts.busyWaits++;
      // Our own checkpoint thread holding it is no other process to take turns with.
      if (!checkpointWantsWriteLock(this.client)) this.sharedUntil = performance.now() + sharedForMs;
      await new Promise((resolve) => setTimeout(resolve, busyPauseMs));
    }
  }

  /** The audit rows and counter increments the transactions so far left for the end: written now. */
  private writeLeftForCommit(): void {
    this.rowsAtCommit.flush();
    this.increments.flush();
  }

  /** A rollback undoes what the transactions left for the end too. */
  private forgetLeftForCommit(): void {
    this.rowsAtCommit.truncate(0);
    this.increments.truncate(0);
  }

  private counted(transactions: number): void {
    this.counts.commits++;
    this.counts.transactions += transactions;
  }

  /** `db` as this transaction sees it: a new object per transaction (code keys per-transaction caches by it). */
  private transactionOf(db: Database): Database {
    return Object.assign(Object.create(db) as Database, { inTransaction: true as const });
  }
}
