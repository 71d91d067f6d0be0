import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { Database } from './database';
import { postgresExecute } from './preparedQuery';

const rowsPerStatement = 1000;
type Shared = { orgId: string; couponId: string; batchId: string | null };
interface PoolInsert {
  run(...params: Array<string | Shared>): { changes: number; lastInsertRowid: number | bigint };
}
const statements = new WeakMap<object, Map<number, PoolInsert>>();
const idLookups = new WeakMap<object, { lastId: BetterSqlite3.Statement; writtenAfter: BetterSqlite3.Statement }>();

/**
 * Bulk-inserts codes into a coupon's pool, skipping any the organisation already has.
 * Returns the codes that went in. Lives here because it talks to the driver directly: a million
 * rows through the query builder would take far longer than SPEC §7 allows.
 */
export async function insertPoolCodes(db: Database, orgId: string, couponId: string, codes: readonly string[], batchId: string | null = null): Promise<string[]> {
  if (db.backend === 'postgres') return (await postgresInsert(db, orgId, couponId, codes, batchId, 'returning')).codes;
  const inserted: string[] = [];
  const shared = { orgId, couponId, batchId };
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
export async function countInsertedPoolCodes(db: Database, orgId: string, couponId: string, codes: readonly string[], batchId: string | null = null): Promise<number> {
  if (db.backend === 'postgres') return (await postgresInsert(db, orgId, couponId, codes, batchId, 'count')).count;
  let inserted = 0;
  const shared = { orgId, couponId, batchId };
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
      lastId: client.prepare('select coalesce(max(id), 0) as id from coupon_codes'),
      writtenAfter: client.prepare('select code from coupon_codes where id > ? order by id'),
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
    const values = Array.from({ length: rows }, () => '(@orgId, @couponId, ?, @batchId)').join(', ');
    statement = client.prepare(`insert into coupon_codes (org_id, coupon_id, code, batch_id) values ${values} on conflict do nothing`) as unknown as PoolInsert;
    cache.set(rows, statement);
  }
  return statement;
}

// PostgreSQL: the whole chunk as one array parameter, unnested server-side.
async function postgresInsert(db: Database, orgId: string, couponId: string, codes: readonly string[], batchId: string | null, answer: 'returning' | 'count') {
  const list = sql`${sql.param(codes)}::text[]`;
  const insert = sql`insert into coupon_codes (org_id, coupon_id, code, batch_id) select ${orgId}, ${couponId}, code, ${batchId} from unnest(${list}) as code on conflict do nothing`;
  const result = await postgresExecute<{ code: string }>(db, answer === 'returning' ? sql`${insert} returning code` : insert);
  return { codes: result.rows.map((row) => row.code), count: result.rowCount ?? 0 };
}
