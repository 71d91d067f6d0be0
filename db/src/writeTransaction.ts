import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database } from './database';
import type { Tables } from './tables';
import { incrementsOf, type IncrementedColumn, type IncrementedTable } from './incrementsAtCommit';
import { postgresExecute } from './preparedQuery';
import { SqliteGroupCommit } from './sqliteGroupCommit';

type Work<T> = (tx: Database) => Promise<T> | T;

/**
 * Runs `work` as one transaction whose checks and writes are atomic against every other
 * connection, process and host: on SQLite it holds the database's write lock from its first
 * statement (BEGIN IMMEDIATE); on PostgreSQL the work takes `lockForUpdate` on what it decides
 * about before reading it. Called with a transaction's handle, it nests as a savepoint.
 *
 * Inside `work`, await only the database: on SQLite other requests' statements share the one
 * connection, and would land in this transaction while it waits on anything else.
 */
export function writeTransaction<T>(db: Database, work: Work<T>, options: TransactionOptions = {}): Promise<T> {
  if (db.bareNesting && options.rerunnable) return bare(db, work);
  return db.backend === 'postgres' ? postgresTransaction(db, work) : sqliteTransaction(db, work, options.rerunnable ?? false);
}

export interface TransactionOptions {
  /**
   * The work's only effects are its statements (nothing kept in memory, nothing sent): it may run
   * again from the start, its first run undone. SQLite's group commit then spares it a savepoint.
   */
  rerunnable?: boolean;
}

/**
 * The transaction `tx`, in which nested re-runnable transactions (the engine's distribute) take no
 * savepoint of their own: for a caller that rolls the whole transaction back when one of them
 * throws, even if something caught the error (a broadcast's group of contacts, which then runs again
 * contact by contact). A savepoint copies every page its work touches: a visible share of a step.
 */
export function withoutNestedSavepoints(tx: Database): Database {
  if (!tx.inTransaction) throw new Error('withoutNestedSavepoints outside a write transaction');
  return Object.assign(Object.create(tx) as Database, { bareNesting: true as const });
}

async function bare<T>(tx: Database, work: Work<T>): Promise<T> {
  return work(tx);
}

/**
 * Serialises the rest of the transaction against every other transaction deciding about the same
 * thing (a coupon, a contact): PostgreSQL keeps a transaction-scoped advisory lock on the key,
 * which holds across hosts; SQLite's single writer already serialises every write transaction.
 */
export async function lockForUpdate(tx: Database, scope: string, id: string): Promise<void> {
  if (!tx.inTransaction) throw new Error('lockForUpdate outside a write transaction');
  if (tx.backend === 'postgres') await postgresExecute(tx, sql`select pg_advisory_xact_lock(hashtextextended(${`${scope}:${id}`}, 0))`);
}

// --- SQLite: one connection per process; transactions requested together share one commit.

const writers = new WeakMap<object, SqliteGroupCommit>();

function writerOf(db: Database): SqliteGroupCommit {
  const client = db.$client;
  let writer = writers.get(client);
  if (!writer) writers.set(client, (writer = new SqliteGroupCommit(client)));
  return writer;
}

/** SQLite: how many write transactions ran, in how many commits, and how often BEGIN waited for another process, on this connection so far (the bench reports it). */
export function sqliteCommits(db: Database): { commits: number; transactions: number; busyWaits: number } {
  return { ...writerOf(db).counts };
}

function sqliteTransaction<T>(db: Database, work: Work<T>, rerunnable: boolean): Promise<T> {
  const writer = writerOf(db);
  return db.inTransaction ? sqliteSavepoint(db, writer, work) : writer.run(db, work, rerunnable);
}

async function sqliteSavepoint<T>(tx: Database, writer: SqliteGroupCommit, work: Work<T>): Promise<T> {
  const savepoint = savepointStatements(tx.$client, ++writer.savepoints);
  const queuedRows = writer.rowsAtCommit.mark;
  // Written before the savepoint: one written inside it by a guarded statement would roll back
  // with it and be forgotten twice. What the work leaves pending is all the savepoint's own.
  writer.increments.flush();
  savepoint.open.run();
  try {
    const result = await work(tx);
    savepoint.release.run();
    return result;
  } catch (error) {
    writer.rowsAtCommit.truncate(queuedRows);
    writer.increments.truncate(0);
    savepoint.rollbackTo.run();
    savepoint.release.run();
    throw error;
  } finally {
    writer.savepoints--;
  }
}

type SavepointStatements = Record<'open' | 'release' | 'rollbackTo', BetterSqlite3.Statement>;
const savepointsByClient = new WeakMap<BetterSqlite3.Database, SavepointStatements[]>();

/**
 * A nesting depth's SAVEPOINT, RELEASE and ROLLBACK TO, prepared once per connection: a broadcast
 * opens a few savepoints per contact, and compiling them each time (exec) was a visible share of it.
 */
function savepointStatements(client: BetterSqlite3.Database, depth: number): SavepointStatements {
  let byDepth = savepointsByClient.get(client);
  if (!byDepth) savepointsByClient.set(client, (byDepth = []));
  const name = `sp${depth}`;
  return (byDepth[depth] ??= {
    open: client.prepare(`SAVEPOINT ${name}`),
    release: client.prepare(`RELEASE ${name}`),
    rollbackTo: client.prepare(`ROLLBACK TO ${name}`),
  });
}

/**
 * Inside a SQLite write transaction: queues `row` for `table`, to go in with the other queued rows
 * as one INSERT just before the transaction ends (see RowsAtCommit: only for an append-only table
 * that nothing reads inside a write transaction), and answers true. Elsewhere (PostgreSQL, outside
 * a transaction) answers false: insert the row yourself.
 */
export function insertAtCommit<K extends keyof Tables>(tx: Database, table: K, row: Partial<Tables[K]['$inferInsert']>): boolean {
  if (tx.backend !== 'sqlite' || !tx.inTransaction) return false;
  writerOf(tx).rowsAtCommit.add(tx.tables[table] as SQLiteTable, row);
  return true;
}

/**
 * Inside a SQLite write transaction: leaves `by` to be added to the row's counter `column` once, for
 * the whole batch, when the transaction's commit is written (see IncrementsAtCommit), and answers
 * true. Statements naming the table see it added first; a read prepared to see it
 * (`prepared(…, { addsPendingIncrements: true })`) adds `pendingIncrements` itself. Elsewhere
 * (PostgreSQL, outside a transaction) answers false: update the row yourself.
 */
export function incrementAtCommit<T extends IncrementedTable>(tx: Database, table: T, id: string, column: IncrementedColumn<T>, by = 1): boolean {
  if (tx.backend !== 'sqlite' || !tx.inTransaction) return false;
  writerOf(tx).increments.add(table, id, column, by);
  return true;
}

/**
 * What is still to be added to the row's counters at commit on this connection, by column (one
 * look-up for all of them: distribute and redeem read three); undefined when nothing is, and always
 * on PostgreSQL.
 */
export function pendingIncrements<T extends IncrementedTable>(db: Database, table: T, id: string): ReadonlyMap<IncrementedColumn<T>, number> | undefined {
  if (db.backend !== 'sqlite') return undefined;
  return incrementsOf(db.$client).pendingOf(table, id) as ReadonlyMap<IncrementedColumn<T>, number> | undefined;
}

// --- PostgreSQL: a pooled connection per transaction; a deadlock or serialization failure retries.

const retryable = new Set(['40001', '40P01']);
const attempts = 5;

async function postgresTransaction<T>(db: Database, work: Work<T>): Promise<T> {
  const pgDb = db as unknown as { transaction<R>(run: (tx: object) => Promise<R>): Promise<R> };
  for (let attempt = 1; ; attempt++) {
    try {
      return await pgDb.transaction(async (tx) => work(Object.assign(tx, { tables: db.tables, backend: db.backend, inTransaction: true as const, root: (db as { root?: Database }).root ?? db }) as unknown as Database));
    } catch (error) {
      const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
      if (db.inTransaction || attempt >= attempts || !code || !retryable.has(code)) throw error;
    }
  }
}
