import type BetterSqlite3 from 'better-sqlite3';
import { Column, is, Param, Placeholder, SQL } from 'drizzle-orm';
import { SQLiteTimestamp } from 'drizzle-orm/sqlite-core';

type Params = Record<string, unknown>;

/** What drizzle's better-sqlite3 prepared query carries (its public fields, read once). */
export interface DrizzleSqlitePrepared {
  stmt: BetterSqlite3.Statement;
  query: { sql: string; params: unknown[] };
  fields?: Array<{ path: string[]; field: unknown }>;
  joinsNotNullableMap?: unknown;
  customResultMapper?: unknown;
  get(params: Params): unknown;
  all(params: Params): unknown[];
  run(params: Params): { changes: number };
}

export interface SqliteStatement<Row> {
  get(params?: Params): Promise<Row | undefined>;
  all(params?: Params): Promise<Row[]>;
  run(params?: Params): Promise<number>;
}

/** null: the value as it comes; 'epochMs': an instant stored as epoch milliseconds, made a Date inline */
type Decode = ((value: unknown) => unknown) | null | 'epochMs';

/**
 * A drizzle query run straight on its better-sqlite3 statement: the placeholders are resolved by
 * position and each column's decoder is chosen once, instead of drizzle working both out again on
 * every call (on the engine's hot paths that was a third of the time of a statement). Queries with
 * custom-mapped results, deeper nesting, or a nested object from an outer join (drizzle makes it
 * null when all its columns are) keep drizzle's own mapping.
 */
export function sqliteStatement<Row>(query: DrizzleSqlitePrepared): SqliteStatement<Row> {
  if (!mappedHere(query)) return drizzleMapped(query);
  const { stmt, params } = withLiteralLimit(query);
  const args = argumentsOf(params);
  if (!stmt.reader) {
    const run = compiled<number>(stmt, args, 'return s.run(ARGS).changes;');
    return { run: (params = {}) => Promise.resolve(run(params)), get: () => Promise.reject(new Error('not a query')), all: () => Promise.reject(new Error('not a query')) };
  }
  const decoders = (query.fields ?? []).map(({ field }) => decoderOf(field));
  const row = rowLiteral((query.fields ?? []).map(({ path }) => path), decoders);
  stmt.raw(true);
  const get = compiled<Row | undefined>(stmt, args, `const v = s.get(ARGS); return v === undefined ? undefined : ${row};`, decoders);
  const all = compiled<Row[]>(stmt, args, `return s.all(ARGS).map((v) => ${row});`, decoders);
  const run = compiled<number>(stmt, args, 'return s.run(ARGS).changes;');
  return {
    get: (params = {}) => Promise.resolve(get(params)),
    all: (params = {}) => Promise.resolve(all(params)),
    run: (params = {}) => Promise.resolve(run(params)),
  };
}

/**
 * One method of the statement as a function compiled once: `body` with ARGS replaced by the
 * positional arguments read from the named values (no array built and spread per call), the row
 * built by an object literal of fixed shape.
 */
function compiled<T>(stmt: BetterSqlite3.Statement, args: StatementArguments, body: string, decoders: Decode[] = []): (values: Params) => T {
  // The source holds only placeholder and field names, quoted, and indexes.
  const source = `return (p) => { ${body.replace('ARGS', () => args.list)} };`;
  return new Function('s', 'c', 'e', 'd', 'present', 'plain', source)(stmt, args.constants, args.encoders, decoders, present, plain) as (values: Params) => T;
}

/**
 * drizzle binds `.limit(1)` (and `.offset(n)`) as parameters. With a bound LIMIT, SQLite (built with
 * STAT4, as better-sqlite3 is) spends 20–40 µs more on every run of the statement than with the
 * number written in (measured: a primary-key look-up 29 against 6 µs), so a constant limit is
 * written into the SQL once here.
 */
function withLiteralLimit(query: DrizzleSqlitePrepared): { stmt: BetterSqlite3.Statement; params: unknown[] } {
  const { sql, params } = query.query;
  const tail = / limit \?( offset \?)?$/.exec(sql);
  const count = tail ? (tail[1] ? 2 : 1) : 0;
  const values = params.slice(params.length - count);
  if (!tail || params.length < count || !values.every((v) => Number.isSafeInteger(v) && (v as number) >= 0)) return { stmt: query.stmt, params };
  const literal = ` limit ${values[0] as number}${count === 2 ? ` offset ${values[1] as number}` : ''}`;
  return { stmt: query.stmt.database.prepare(sql.slice(0, tail.index) + literal), params: params.slice(0, params.length - count) };
}

interface StatementArguments {
  /** the arguments' source, reading the named values from `p` */
  list: string;
  constants: unknown[];
  encoders: Array<(value: unknown) => unknown>;
}

/**
 * The positional arguments for named values: instants as epoch milliseconds, booleans as 0/1 (as
 * the columns store them). Compiled into the statement's call, each value read by its constant
 * name (a loop looking names up was a megamorphic load and an `in` per value).
 */
function argumentsOf(params: unknown[]): StatementArguments {
  const constants: unknown[] = [];
  const encoders: Array<(value: unknown) => unknown> = [];
  const parts = params.map((p, i) => {
    const named = is(p, Placeholder) ? p : is(p, Param) && is(p.value, Placeholder) ? p.value : undefined;
    if (!named) {
      constants[i] = p;
      return `c[${i}]`;
    }
    const name = JSON.stringify(named.name);
    const read = `present(p[${name}], p, ${name})`;
    if (is(p, Placeholder)) return `plain(${read})`;
    encoders[i] = (value) => (p as Param).encoder.mapToDriverValue(value);
    return `e[${i}](${read})`;
  });
  return { list: parts.join(', '), constants, encoders };
}

function present(value: unknown, values: Params, name: string): unknown {
  if (value === undefined && !(name in values)) throw new Error(`No value for placeholder "${name}" was provided`);
  return value;
}

const plain = (value: unknown): unknown => (value instanceof Date ? value.getTime() : typeof value === 'boolean' ? (value ? 1 : 0) : value);

/** Rows this file can build itself: plain columns, or objects of columns one level down from tables that are always there. */
function mappedHere(query: DrizzleSqlitePrepared): boolean {
  if (query.customResultMapper) return false;
  const fields = query.fields ?? [];
  if (fields.every(({ path }) => path.length === 1)) return true;
  const joins = (query.joinsNotNullableMap ?? {}) as Record<string, boolean>;
  return fields.every(({ path }) => path.length <= 2) && Object.values(joins).every(Boolean);
}

/**
 * The source of an object literal making a row from the statement's raw values `v`, for its fields
 * (nested ones as nested literals): every row then has one fixed shape, built in one go. Filling an
 * empty object key by key, in one loop shared by every statement, was a megamorphic store per column.
 */
function rowLiteral(paths: string[][], decoders: Decode[]): string {
  const valueOf = (i: number) => {
    const decoder = decoders[i];
    if (decoder === 'epochMs') return `v[${i}] === null ? null : new Date(v[${i}])`;
    return decoder ? `v[${i}] === null ? null : d[${i}](v[${i}])` : `v[${i}]`;
  };
  const top = new Map<string, string[]>();
  paths.forEach((path, i) => {
    const [name, inner] = path as [string, string?];
    const entries = top.get(name) ?? [];
    entries.push(inner === undefined ? valueOf(i) : `${JSON.stringify(inner)}: ${valueOf(i)}`);
    top.set(name, entries);
  });
  const nested = new Set(paths.filter((path) => path.length === 2).map(([name]) => name));
  const fields = [...top].map(([name, entries]) => `${JSON.stringify(name)}: ${nested.has(name) ? `{ ${entries.join(', ')} }` : entries[entries.length - 1]}`);
  return `({ ${fields.join(', ')} })`;
}

const identity = Column.prototype.mapFromDriverValue;

function decoderOf(field: unknown): Decode {
  // As drizzle's mapResultRow: a column decodes itself; SQL, aliased SQL and subqueries carry a decoder.
  type Decoder = { mapFromDriverValue(value: unknown): unknown };
  const decoder: Decoder = is(field, Column)
    ? field
    : is(field, SQL)
      ? (field as unknown as { decoder: Decoder }).decoder
      : ((field as { _?: { sql: { decoder: Decoder } } })._?.sql.decoder ?? (field as { sql: { decoder: Decoder } }).sql.decoder);
  if (decoder.mapFromDriverValue === identity) return null;
  // What SQLiteTimestamp's own decoder does for milliseconds, without a bound call per instant.
  if (is(decoder, SQLiteTimestamp) && decoder.mode === 'timestamp_ms' && decoder.mapFromDriverValue === SQLiteTimestamp.prototype.mapFromDriverValue) return 'epochMs';
  return decoder.mapFromDriverValue.bind(decoder);
}

function drizzleMapped<Row>(query: DrizzleSqlitePrepared): SqliteStatement<Row> {
  const args = (params: Params) => {
    const out: Params = {};
    for (const key in params) {
      const value = params[key];
      out[key] = value instanceof Date ? value.getTime() : typeof value === 'boolean' ? (value ? 1 : 0) : value;
    }
    return out;
  };
  return {
    get: (params = {}) => Promise.resolve(query.get(args(params)) as Row | undefined),
    all: (params = {}) => Promise.resolve(query.all(args(params)) as Row[]),
    run: (params = {}) => Promise.resolve(query.run(args(params)).changes),
  };
}
