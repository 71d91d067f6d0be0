import { sql } from 'drizzle-orm';
import type { Database } from './database';
import { postgresExecute } from './preparedQuery';

const rowsPerStatement = 500;
interface PoolInsert {
  all(...params: Array<string | null>): Array<{ code: string }>;
  run(...params: Array<string | null>): { changes: number };
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
  forEachBatch(orgId, couponId, batchId, codes, (params, rows) => {
    for (const row of statementFor(db, rows, 'returning').all(...params)) inserted.push(row.code);
  });
  return inserted;
}

/** The same, answering only how many went in (generation needs no more, and saves the memory). */
export async function countInsertedPoolCodes(db: Database, orgId: string, couponId: string, codes: readonly string[], batchId: string | null = null): Promise<number> {
  if (db.backend === 'postgres') return (await postgresInsert(db, orgId, couponId, codes, batchId, 'count')).count;
  let inserted = 0;
  forEachBatch(orgId, couponId, batchId, codes, (params, rows) => {
    inserted += statementFor(db, rows, 'count').run(...params).changes;
  });
  return inserted;
}

function forEachBatch(
  orgId: string,
  couponId: string,
  batchId: string | null,
  codes: readonly string[],
  insert: (params: Array<string | null>, rows: number) => void,
): void {
  for (let at = 0; at < codes.length; at += rowsPerStatement) {
    const rows = Math.min(rowsPerStatement, codes.length - at);
    const params: Array<string | null> = new Array(rows * 4);
    for (let i = 0; i < rows; i++) {
      params[i * 4] = orgId;
      params[i * 4 + 1] = couponId;
      params[i * 4 + 2] = codes[at + i]!;
      params[i * 4 + 3] = batchId;
    }
    insert(params, rows);
  }
}

function statementFor(db: Database, rows: number, answer: 'returning' | 'count'): PoolInsert {
  const client = db.$client;
  let cache = statements.get(client);
  if (!cache) statements.set(client, (cache = new Map()));
  const key = `${answer}:${rows}`;
  let statement = cache.get(key);
  if (!statement) {
    const values = Array.from({ length: rows }, () => '(?, ?, ?, ?)').join(', ');
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
