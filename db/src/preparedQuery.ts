import { sql, type SQL } from 'drizzle-orm';
import type { Database } from './database';
import { preparedAware } from './incrementsAtCommit';
import { sqliteStatement, type DrizzleSqlitePrepared } from './sqliteStatement';
import type { Tables } from './tables';

/** A built query: awaitable, and preparable by the driver it belongs to. */
interface Buildable {
  prepare(name?: string): unknown;
}
type Rows<B> = Awaited<B> extends Array<infer R> ? R[] : never;
type Params = Record<string, unknown>;

export interface Statement<Row> {
  /** the first row, or undefined */
  get(params?: Params): Promise<Row | undefined>;
  all(params?: Params): Promise<Row[]>;
  /** how many rows it changed */
  run(params?: Params): Promise<number>;
}

interface PostgresPrepared {
  client: unknown;
  execute(params: Params): Promise<unknown[] | { rowCount: number | null }>;
}

export interface PreparedOptions {
  /**
   * SQLite: the caller adds `pendingIncrements` to the counters it reads, so the statement need not
   * write the pending increments before it runs (see IncrementsAtCommit).
   */
  addsPendingIncrements?: boolean;
}

const caches = new WeakMap<object, Map<string, unknown>>();

/**
 * Builds a query once per database and keeps it prepared. The query builder costs far more than
 * SQLite itself on hot paths (≈ 150 µs against ≈ 5 µs per statement here), so the engine's
 * per-redemption and per-step statements go through this. Values are bound through `bind(name)`
 * as plain values: Date, boolean, string, number, null, JSON as text; each dialect gets them in
 * its driver's form.
 */
export function prepared<B extends Buildable>(db: Database, key: string, build: (db: Database, tables: Tables) => B, options: PreparedOptions = {}): Statement<Rows<B>[number]> {
  // Cached on the connection (SQLite) or the pool (PostgreSQL), shared by every transaction on it.
  const owner = rootOf(db).$client as object;
  let cache = caches.get(owner);
  if (!cache) caches.set(owner, (cache = new Map()));
  let entry = cache.get(key);
  if (entry === undefined) {
    // SQLite keeps the finished Statement (one connection, nothing per call); PostgreSQL the query,
    // bound per call to the connection of the transaction it runs in.
    const sqlite = () => sqliteStatement(build(db, db.tables).prepare() as DrizzleSqlitePrepared);
    entry = db.backend === 'postgres' ? build(rootOf(db), db.tables).prepare(key) : options.addsPendingIncrements ? preparedAware(sqlite) : sqlite();
    cache.set(key, entry);
  }
  return db.backend === 'postgres' ? postgresStatement(entry as PostgresPrepared, db) : (entry as Statement<Rows<B>[number]>);
}

/**
 * A placeholder bound as the driver value, past the column's encoder (which cannot encode a null
 * timestamp). Pass the plain value; `prepared` converts it for the dialect.
 */
export const bind = (name: string) => sql`${sql.placeholder(name)}`;

/** Runs a raw SQL statement and answers its rows (in the dialect's column names). */
export async function queryRows<Row>(db: Database, query: SQL): Promise<Row[]> {
  if (db.backend === 'postgres') return (await postgresExecute<Row>(db, query)).rows;
  return db.all<Row>(query);
}

/** Runs a raw SQL statement and answers how many rows it changed. */
export async function execute(db: Database, query: SQL): Promise<number> {
  if (db.backend === 'postgres') return (await postgresExecute(db, query)).rowCount ?? 0;
  return db.run(query).changes;
}

function postgresStatement<Row>(query: PostgresPrepared, db: Database): Statement<Row> {
  // The query was prepared on the pool; inside a transaction it must run on that transaction's connection.
  const client = db.inTransaction ? (db as unknown as { session: { client: unknown } }).session.client : query.client;
  const bound = client === query.client ? query : (Object.assign(Object.create(Object.getPrototypeOf(query) as object), query, { client }) as PostgresPrepared);
  // Methods, not arrows: tsx names each arrow made here with a defineProperty, on every statement run.
  return {
    async get(params = {}) {
      return (await rowsOf<Row>(bound, params))[0];
    },
    all(params = {}) {
      return rowsOf<Row>(bound, params);
    },
    async run(params = {}) {
      const result = await bound.execute(params);
      return Array.isArray(result) ? result.length : (result.rowCount ?? 0);
    },
  };
}

async function rowsOf<Row>(query: PostgresPrepared, params: Params): Promise<Row[]> {
  const result = await query.execute(params);
  return Array.isArray(result) ? (result as Row[]) : [];
}

function rootOf(db: Database): Database {
  return (db as { root?: Database }).root ?? db;
}

/** PostgreSQL only: node-postgres's own result. */
export function postgresExecute<Row>(db: Database, query: SQL): Promise<{ rows: Row[]; rowCount: number | null }> {
  return (db as unknown as { execute(query: SQL): Promise<{ rows: Row[]; rowCount: number | null }> }).execute(query);
}

/** Whether `error` is a unique-constraint violation, in either dialect's words. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string; cause?: { code?: string } } | null)?.code ?? (error as { cause?: { code?: string } } | null)?.cause?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
