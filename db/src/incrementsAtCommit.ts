import type BetterSqlite3 from 'better-sqlite3';

/**
 * The tables whose counters may be incremented at commit, with their key column. Every statement
 * that names one of them writes the pending increments first (see `guardIncrementedTables`).
 */
const keyColumns: Record<string, string> = { coupons: 'id' };
const namesAnIncrementedTable = new RegExp(`\\b(${Object.keys(keyColumns).join('|')})\\b`, 'i');

interface Pending {
  table: string;
  id: string;
  /** by SQL column name: what is still to be added */
  deltas: Map<string, number>;
}

/**
 * Counter increments (`issued_count + 1`) a SQLite write transaction leaves for the end of its
 * commit: a batch of 64 offers and redemptions of one campaign writes the campaign's row once,
 * adding 32 to each counter, instead of 64 times. Nothing is hidden meanwhile: a statement that
 * names the table writes what is pending first (the guard installed on the connection), unless it
 * was prepared to add the pending increments itself (`pendingOf`), as distribute's and redeem's
 * context reads are. Kept per connection by its group commit, which writes them before each commit
 * (and before each savepoint) and forgets what a rollback undoes.
 */
export class IncrementsAtCommit {
  /** by table, then by row id (no key string built per call: these are read on every offer) */
  private readonly pending = new Map<string, Map<string, Pending>>();
  /** every increment queued, in order: what `truncate` takes back */
  private log: Array<{ pending: Pending; column: string; by: number }> = [];
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly client: BetterSqlite3.Database) {}

  /** whether any increment waits: the guard's check on every guarded statement */
  get waiting(): boolean {
    return this.log.length > 0;
  }

  add(table: string, id: string, column: string, by: number): void {
    let rows = this.pending.get(table);
    if (!rows) {
      if (!(table in keyColumns)) throw new Error(`${table} takes no increments at commit`);
      this.pending.set(table, (rows = new Map()));
    }
    let pending = rows.get(id);
    if (!pending) rows.set(id, (pending = { table, id, deltas: new Map() }));
    pending.deltas.set(column, (pending.deltas.get(column) ?? 0) + by);
    this.log.push({ pending, column, by });
  }

  /** what is still to be added to the row's `column` */
  pendingOf(table: string, id: string, column: string): number {
    if (!this.log.length) return 0;
    return this.pending.get(table)?.get(id)?.deltas.get(column) ?? 0;
  }

  /** Forgets the increments queued after the first `mark` (a rollback undid them). */
  truncate(mark: number): void {
    while (this.log.length > mark) {
      const { pending, column, by } = this.log.pop()!;
      pending.deltas.set(column, pending.deltas.get(column)! - by);
    }
    if (!this.log.length) this.pending.clear();
  }

  /** Writes every pending increment, one UPDATE per row; nothing is pending afterwards, even if one throws. */
  flush(): void {
    if (!this.log.length) return;
    const rows = [...this.pending.values()].flatMap((byId) => [...byId.values()]);
    this.pending.clear();
    this.log = [];
    for (const { table, id, deltas } of rows) {
      const columns = [...deltas.keys()].filter((column) => deltas.get(column) !== 0);
      if (columns.length) this.statementOf(table, columns).run(...columns.map((column) => deltas.get(column)), id);
    }
  }

  private statementOf(table: string, columns: string[]): BetterSqlite3.Statement {
    const key = table + '\0' + columns.join('\0');
    let statement = this.statements.get(key);
    if (!statement) {
      const sets = columns.map((column) => `"${column}" = "${column}" + ?`).join(', ');
      // Past the guard: it would have this statement flush itself.
      const sql = `update "${table}" set ${sets} where "${keyColumns[table]}" = ?`;
      statement = preparedAware(() => this.client.prepare(sql));
      this.statements.set(key, statement);
    }
    return statement!;
  }
}

const byClient = new WeakMap<BetterSqlite3.Database, IncrementsAtCommit>();

/** The connection's pending increments (one queue per connection, as its group commit). */
export function incrementsOf(client: BetterSqlite3.Database): IncrementsAtCommit {
  let increments = byClient.get(client);
  if (!increments) byClient.set(client, (increments = new IncrementsAtCommit(client)));
  return increments;
}

let preparingAware = 0;

/** Runs `prepare` (which prepares statements on a connection) so that they skip the guard: they add the pending increments themselves. */
export function preparedAware<T>(prepare: () => T): T {
  preparingAware++;
  try {
    return prepare();
  } finally {
    preparingAware--;
  }
}

/**
 * Makes every statement `client` prepares from now on that names a table with increments at commit
 * write the pending ones before it runs (and `exec` likewise): no reader ever sees a counter
 * without them, whoever it is and whenever it runs.
 */
export function guardIncrementedTables(client: BetterSqlite3.Database): void {
  const increments = incrementsOf(client);
  const prepare = client.prepare;
  const exec = client.exec;
  client.prepare = function guardedPrepare(sql: string) {
    const statement = prepare.call(client, sql);
    if (!preparingAware && namesAnIncrementedTable.test(sql)) flushFirst(statement, increments);
    return statement;
  } as typeof client.prepare;
  client.exec = function guardedExec(sql: string) {
    if (increments.waiting && namesAnIncrementedTable.test(sql)) increments.flush();
    return exec.call(client, sql);
  } as typeof client.exec;
}

function flushFirst(statement: BetterSqlite3.Statement, increments: IncrementsAtCommit): void {
  for (const method of ['run', 'get', 'all', 'iterate'] as const) {
    const original = statement[method] as (...args: unknown[]) => unknown;
    (statement as unknown as Record<string, unknown>)[method] = function guarded(...args: unknown[]) {
      if (increments.waiting) increments.flush();
      return original.apply(statement, args);
    };
  }
}
