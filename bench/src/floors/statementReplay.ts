import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { applySqlitePragmas, checkpointInBackground } from '@couponflow/db';

type Method = 'run' | 'get' | 'all' | 'exec';
interface Call {
  sql: string;
  method: Method;
  args: unknown[];
}

/**
 * The floor of an engine row: plain better-sqlite3 running exactly the statements the engine ran,
 * with the same parameters, in the same transactions, on a copy of the database as it was before.
 * What the engine spends beyond this is its own (query building, mapping, promises, logic).
 */
export class StatementRecorder {
  private readonly calls: Call[] = [];
  private readonly prepared: Array<{ statement: BetterSqlite3.Statement; sql: string }> = [];
  /** what `wrap` replaced, to put back when recording stops */
  private readonly unwrapped: Array<() => void> = [];
  private recording = false;
  private snapshotPath = '';

  /**
   * Watch `client` as soon as it is opened, so every statement the app prepares is known. The
   * statements themselves are wrapped only while recording: the timed cycles call them bare.
   */
  constructor(private readonly client: BetterSqlite3.Database) {
    const prepare = client.prepare.bind(client);
    client.prepare = ((sql: string) => {
      const statement = prepare(sql);
      this.prepared.push({ statement, sql });
      if (this.recording) this.wrap(statement, sql);
      return statement;
    }) as typeof client.prepare;
  }

  private wrap(statement: BetterSqlite3.Statement, sql: string): void {
    for (const method of ['run', 'get', 'all'] as const) {
      const own = Object.getOwnPropertyDescriptor(statement, method);
      const original = statement[method] as (...args: unknown[]) => unknown;
      this.unwrapped.push(() => (own ? Object.defineProperty(statement, method, own) : delete (statement as unknown as Record<string, unknown>)[method]));
      (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        // Kept once it has run: a BEGIN that found another process writing is not part of the work.
        const result = original.apply(statement, args);
        this.calls.push({ sql, method, args });
        return result;
      };
    }
  }

  /**
   * Records every statement from now on, after snapshotting the database into `snapshotPath`
   * (without one, the caller has taken the snapshot: another process's, for several recorders).
   */
  start(snapshotPath?: string): void {
    if (snapshotPath) snapshotInto(this.client, snapshotPath);
    this.snapshotPath = snapshotPath ?? '';
    this.recording = true;
    for (const { statement, sql } of this.prepared) this.wrap(statement, sql);
    const exec = this.client.exec;
    const own = Object.getOwnPropertyDescriptor(this.client, 'exec');
    this.unwrapped.push(() => (own ? Object.defineProperty(this.client, 'exec', own) : delete (this.client as unknown as Record<string, unknown>).exec));
    this.client.exec = ((sql: string) => {
      const result = exec.call(this.client, sql);
      // The group commit's busy timeout is its own way of waiting for another process's turn: a
      // plain replay leaves the waiting to SQLite (see openReplay).
      if (!/^PRAGMA busy_timeout/i.test(sql)) this.calls.push({ sql, method: 'exec', args: [] });
      return result;
    }) as typeof this.client.exec;
  }

  stop(): void {
    this.recording = false;
    for (const undo of this.unwrapped.splice(0).reverse()) undo();
  }

  /** the CPU time (user + system) of the last replay: steadier than its wall time on a shared machine */
  replayCpuSeconds = 0;

  get statementCount(): number {
    return this.calls.length;
  }

  /**
   * Replays the recorded statements on the snapshot with plain better-sqlite3 (the same pragmas as
   * the app: WAL, synchronous NORMAL, checkpoints in a thread as a running server has them) and
   * answers the seconds it took.
   */
  replaySeconds(): number {
    const replay = this.openReplay(this.snapshotPath);
    try {
      const { seconds, cpuSeconds } = replay.run();
      this.replayCpuSeconds = cpuSeconds;
      return seconds;
    } finally {
      replay.close();
    }
  }

  /**
   * The recorded statements, prepared once up front (as a hand-written data layer would keep them)
   * on plain better-sqlite3 opened on `path`, ready to run. Where another process writes the same
   * file, SQLite's own busy handler waits for the write lock, as a plain program's would.
   */
  openReplay(path: string): { run(): { seconds: number; cpuSeconds: number }; close(): void } {
    const client = new BetterSqlite3(path, { timeout: 30_000 });
    let stopCheckpoints = () => {};
    try {
      applySqlitePragmas(client);
      stopCheckpoints = checkpointInBackground(client, path);
      const statements = new Map<string, BetterSqlite3.Statement>();
      for (const call of this.calls) if (call.method !== 'exec' && !statements.has(call.sql)) statements.set(call.sql, client.prepare(call.sql));
      const run = () => {
        const started = performance.now();
        const cpu = process.cpuUsage();
        for (const call of this.calls) {
          if (call.method === 'exec') client.exec(call.sql);
          else (statements.get(call.sql)![call.method] as (...args: unknown[]) => unknown)(...call.args);
        }
        const used = process.cpuUsage(cpu);
        return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
      };
      return {
        run,
        close() {
          stopCheckpoints();
          client.close();
        },
      };
    } catch (error) {
      stopCheckpoints();
      client.close();
      throw error;
    }
  }
}

/** A copy of the database as it is now, at `path`, already in WAL mode (so that several replays may open it at once). */
export function snapshotInto(client: BetterSqlite3.Database, path: string): void {
  client.exec(`VACUUM INTO '${path.replaceAll("'", "''")}'`);
  const copy = new BetterSqlite3(path);
  try {
    copy.pragma('journal_mode = WAL');
  } finally {
    copy.close();
  }
}
