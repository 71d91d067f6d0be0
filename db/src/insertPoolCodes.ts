import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { Database } from './database';
import { postgresExecute } from './preparedQuery';

const rowsPerStatement = 1000;

/** Where codes go: the pool (`pools.id`) and its organisation's code space (`code_spaces.id`). */
export interface PoolTarget {
  poolId: number;
  spaceId: number;
}
interface PoolInsert {
  run(...params: Array<string | PoolTarget>): { changes: number; lastInsertRowid: number | bigint };
}
const statements = new WeakMap<object, Map<number, PoolInsert>>();
const idLookups = new WeakMap<object, { lastId: BetterSqlite3.Statement; writtenAfter: BetterSqlite3.Statement }>();

/**
 * Bulk-inserts codes into a coupon's pool, skipping any the organisation already has.
 * Returns the codes that went in. Lives here because it talks to the driver directly: a million
 * rows through the query builder would take far longer than SPEC §7 allows.
 */
export async function insertPoolCodes(db: Database, pool: PoolTarget, codes: readonly string[]): Promise<string[]> {
  if (db.backend === 'postgres') return (await postgresInsert(db, pool, codes, 'returning')).codes;
  const inserted: string[] = [];
  const shared = { poolId: pool.poolId, spaceId: pool.spaceId };
  const { lastId, writtenAfter } = lookups(db);
  for (let at = 0; at < codes.length; at += rowsPerStatement) {
    const rows = codes.slice(at, at + rowsPerStatement);
    // Usually every code goes in and no row need come back; otherwise the rows past the last id
    // before the statement are the ones it wrote (one connection: nothing else writes meanwhile).
    const before = rows.length > 1 ? (lastId.get() as { id: number }).id : 0;
    const { changes } = statementFor(db, rows.length).run(...rows, shared);
    if (changes === rows.length) inserted.push(...rows);
    else if (changes > 0) for (const row of writtenAfter.all(before) as Array<{ code: string }>) inserted.push(row.code);
  }
  return inserted;
}

/** The same, answering only how many went in (generation needs no more, and saves the memory). */
export async function countInsertedPoolCodes(db: Database, pool: PoolTarget, codes: readonly string[]): Promise<number> {
  if (db.backend === 'postgres') return (await postgresInsert(db, pool, codes, 'count')).count;
  let inserted = 0;
  const shared = { poolId: pool.poolId, spaceId: pool.spaceId };
  for (let at = 0; at < codes.length; at += rowsPerStatement) {
    const rows = codes.slice(at, at + rowsPerStatement);
    inserted += statementFor(db, rows.length).run(...rows, shared).changes;
  }
  return inserted;
}

function lookups(db: Database): { lastId: BetterSqlite3.Statement; writtenAfter: BetterSqlite3.Statement } {
  const client = db.$client;
  let found = idLookups.get(client);
  if (!found) {
    found = {
      lastId: client.prepare('select coalesce(max(id), 0) as id from pool_codes'),
      writtenAfter: client.prepare('select code from pool_codes where id > ? order by id'),
    };
    idLookups.set(client, found);
  }
  return found;
}

function statementFor(db: Database, rows: number): PoolInsert {
  const client = db.$client;
  let cache = statements.get(client);
  if (!cache) statements.set(client, (cache = new Map()));
  let statement = cache.get(rows);
  if (!statement) {
    // One parameter per code; the values every row shares are bound once, by name.
    const values = Array.from({ length: rows }, () => '(@poolId, @spaceId, ?)').join(', ');
    statement = client.prepare(`insert into pool_codes (pool_id, space_id, code) values ${values} on conflict do nothing`) as unknown as PoolInsert;
    cache.set(rows, statement);
  }
  return statement;
}

// PostgreSQL: the whole chunk as one array parameter, unnested server-side.
async function postgresInsert(db: Database, pool: PoolTarget, codes: readonly string[], answer: 'returning' | 'count') {
  const list = sql`${sql.param(codes)}::text[]`;
  const insert = sql`insert into pool_codes (pool_id, space_id, code) select ${pool.poolId}, ${pool.spaceId}, code from unnest(${list}) as code on conflict do nothing`;
  const result = await postgresExecute<{ code: string }>(db, answer === 'returning' ? sql`${insert} returning code` : insert);
  return { codes: result.rows.map((row) => row.code), count: result.rowCount ?? 0 };
}
