import { sql } from 'drizzle-orm';
import type { Database } from './database';
import { postgresExecute } from './preparedQuery';

const rowsPerStatement = 1000;
type Shared = { orgId: string; couponId: string; batchId: string | null };
interface PoolInsert {
  all(...params: Array<string | Shared>): Array<{ code: string }>;
  run(...params: Array<string | Shared>): { changes: number };
}
const statements = new WeakMap<object, Map<string, PoolInsert>>();

/**
 * Bulk-inserts codes into a coupon's pool, skipping any the organisation already has.
 * Returns the codes that went in. Lives here because it talks to the driver directly: a million
 * rows through the query builder would take far longer than SPEC §7 allows.
 */
export async function insertPoolCodes(db: Database, orgId: string, couponId: string, codes: readonly string[], batchId: string | null = null): Promise<string[]> {
  if (db.backend === 'postgres') return (await postgresInsert(db, orgId, couponId, codes, batchId, 'returning')).codes;
  const inserted: string[] = [];
  const shared = { orgId, couponId, batchId };
  for (let at = 0; at < codes.length; at += rowsPerStatement) {
    const rows = codes.slice(at, at + rowsPerStatement);
    for (const row of statementFor(db, rows.length, 'returning').all(...rows, shared)) inserted.push(row.code);
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
    inserted += statementFor(db, rows.length, 'count').run(...rows, shared).changes;
  }
  return inserted;
}

function statementFor(db: Database, rows: number, answer: 'returning' | 'count'): PoolInsert {
  const client = db.$client;
  let cache = statements.get(client);
  if (!cache) statements.set(client, (cache = new Map()));
  const key = `${answer}:${rows}`;
  let statement = cache.get(key);
  if (!statement) {
    // One parameter per code; the values every row shares are bound once, by name.
    const values = Array.from({ length: rows }, () => '(@orgId, @couponId, ?, @batchId)').join(', ');
    const returning = answer === 'returning' ? ' returning code' : '';
    statement = client.prepare(`insert into coupon_codes (org_id, coupon_id, code, batch_id) values ${values} on conflict do nothing${returning}`) as unknown as PoolInsert;
    cache.set(key, statement);
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
