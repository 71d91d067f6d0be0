import type BetterSqlite3 from 'better-sqlite3';
import { Column, getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';

/** A table and the columns its queued rows give, with the statements that insert them. */
interface Target {
  /** `"table" ("column", …)`, what the INSERT goes into */
  into: string;
  /** the row's keys, in the INSERT's column order */
  keys: string[];
  /** per column, what makes the driver's value of a non-null value; null where it is the value itself */
  encoders: Array<((value: unknown) => unknown) | null>;
  tuple: string;
  /** the queued rows' values, one row after another (`keys.length` each) */
  values: unknown[];
  /** by row count (a power of two up to `chunk`) */
  statements: Map<number, BetterSqlite3.Statement>;
}

// Rows per INSERT: a batch of 64 transactions writes 128 audit events, two statements of 64.
const chunk = 64;
const identity = Column.prototype.mapToDriverValue;

/**
 * Rows a SQLite write transaction inserts just before it ends, all together: one multi-row INSERT
 * per table costs a third of what a statement per row does. Only for append-only tables that
 * nothing reads inside a write transaction (the audit trail): a queued row is not there yet.
 * Kept per connection by its group commit, which flushes the queue before each commit (or before
 * releasing a transaction's savepoint) and forgets what a rollback undoes (`mark` / `truncate`).
 */
export class RowsAtCommit {
  private readonly targets = new Map<SQLiteTable, Target>();
  /** the table of each queued row, in the order queued: what `truncate` takes back */
  private order: Target[] = [];

  constructor(private readonly client: BetterSqlite3.Database) {}

  /** Queues `row`; every row queued for a table must name the same columns (the first one's). */
  add(table: SQLiteTable, row: Record<string, unknown>): void {
    const target = this.targetOf(table, row);
    const { keys, encoders, values } = target;
    for (let i = 0; i < keys.length; i++) {
      const value = row[keys[i]!];
      const encode = encoders[i];
      values.push(value === null || value === undefined ? null : encode ? encode(value) : value);
    }
    this.order.push(target);
  }

  /** where the queue stands: a savepoint keeps it, to forget what it rolls back */
  get mark(): number {
    return this.order.length;
  }

  truncate(mark: number): void {
    while (this.order.length > mark) {
      const target = this.order.pop()!;
      target.values.length -= target.keys.length;
    }
  }

  /** Inserts every queued row, in the order queued per table; the queue is empty afterwards, even if an insert throws. */
  flush(): void {
    if (!this.order.length) return;
    this.order = [];
    const queued: Array<[Target, unknown[]]> = [];
    for (const target of this.targets.values())
      if (target.values.length) {
        queued.push([target, target.values]);
        target.values = [];
      }
    for (const [target, values] of queued) {
      const width = target.keys.length;
      const rows = values.length / width;
      for (let at = 0; at < rows; ) {
        let size = chunk;
        while (size > rows - at) size >>= 1;
        // One array bound by position: spreading 500 values into the call cost more than the insert.
        this.statementOf(target, size).run(size === rows ? values : values.slice(at * width, (at + size) * width));
        at += size;
      }
    }
  }

  private targetOf(table: SQLiteTable, row: Record<string, unknown>): Target {
    let target = this.targets.get(table);
    if (!target) {
      const byKey = getTableColumns(table) as Record<string, Column>;
      const keys = Object.keys(row);
      const columns = keys.map((key) => {
        const column = byKey[key];
        if (!column) throw new Error(`${getTableName(table)} has no column ${key}`);
        return column;
      });
      target = {
        into: `"${getTableName(table)}" (${columns.map((c) => `"${c.name}"`).join(', ')})`,
        keys,
        encoders: columns.map((column) => (column.mapToDriverValue === identity ? null : (value: unknown) => column.mapToDriverValue(value))),
        tuple: `(${keys.map(() => '?').join(', ')})`,
        values: [],
        statements: new Map(),
      };
      this.targets.set(table, target);
    } else if (!sameKeys(target.keys, row)) {
      throw new Error(`rows queued for ${getTableName(table)} name the columns ${target.keys.join(', ')}; this one names ${Object.keys(row).join(', ')}`);
    }
    return target;
  }

  private statementOf(target: Target, size: number): BetterSqlite3.Statement {
    let statement = target.statements.get(size);
    if (!statement) {
      statement = this.client.prepare(`insert into ${target.into} values ${Array.from({ length: size }, () => target.tuple).join(', ')}`);
      target.statements.set(size, statement);
    }
    return statement;
  }
}

/** Whether `row` has exactly `keys` (a row naming another column would lose it silently). */
function sameKeys(keys: string[], row: Record<string, unknown>): boolean {
  let count = 0;
  for (const key in row) {
    if (keys[count] !== key && !keys.includes(key)) return false;
    count++;
  }
  return count === keys.length;
}
