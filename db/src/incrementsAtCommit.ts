import type BetterSqlite3 from 'better-sqlite3';
import { getTableColumns, getTableName, type Column } from 'drizzle-orm';
import { coupons } from './schema';

/**
 * The tables whose counters may be incremented at commit (by their key in `Tables`), with their
 * key column. Every statement that names one of them writes the pending increments first (see
 * `guardIncrementedTables`).
 */
const incremented = { coupons: { table: coupons, key: 'id' } } as const;
export type IncrementedTable = keyof typeof incremented;
/** a counter of an incremented table, by its key in the table's row (`issuedCount`) */
export type IncrementedColumn<T extends IncrementedTable> = keyof (typeof incremented)[T]['table']['$inferSelect'] & string;

const namesAnIncrementedTable = new RegExp(`\\b(${Object.values(incremented).map(({ table }) => getTableName(table)).join('|')})\\b`, 'i');

interface Pending {
  table: IncrementedTable;
  id: string;
  /** by the column's key in the row (SQL names are looked up once, for the statement): what is still to be added */
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
  private readonly pending = new Map<IncrementedTable, Map<string, Pending>>();
  /** every increment queued, in order: what `truncate` takes back */
  private log: Array<{ pending: Pending; column: string; by: number }> = [];
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly client: BetterSqlite3.Database) {}

  /** whether any increment waits: the guard's check on every guarded statement */
  get waiting(): boolean {
    return this.log.length > 0;
  }

  add(table: IncrementedTable, id: string, column: string, by: number): void {
    let rows = this.pending.get(table);
    if (!rows) {
      if (!(table in incremented)) throw new Error(`${table} takes no increments at commit`);
      this.pending.set(table, (rows = new Map()));
    }
    let pending = rows.get(id);
    if (!pending) rows.set(id, (pending = { table, id, deltas: new Map() }));
    pending.deltas.set(column, (pending.deltas.get(column) ?? 0) + by);
    this.log.push({ pending, column, by });
  }

  /** what is still to be added to the row's counters, by column key; undefined when nothing is */
  pendingOf(table: IncrementedTable, id: string): ReadonlyMap<string, number> | undefined {
    if (!this.log.length) return undefined;
    return this.pending.get(table)?.get(id)?.deltas;
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

  private statementOf(table: IncrementedTable, columns: string[]): BetterSqlite3.Statement {
    const key = table + '\0' + columns.join('\0');
    let statement = this.statements.get(key);
    if (!statement) {
      const { table: schema, key: keyColumn } = incremented[table];
      const byKey = getTableColumns(schema) as Record<string, Column>;
      const name = (column: string) => {
        const found = byKey[column];
        if (!found) throw new Error(`${table} has no column ${column}`);
        return `"${found.name}"`;
      };
      const sets = columns.map((column) => `${name(column)} = ${name(column)} + ?`).join(', ');
      // Past the guard: it would have this statement flush itself.
      const sql = `update "${getTableName(schema)}" set ${sets} where ${name(keyColumn)} = ?`;
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
