import type { Database } from './openDatabase';

const rowsPerStatement = 500;
interface PoolInsert {
  all(...params: Array<string | null>): Array<{ code: string }>;
  run(...params: Array<string | null>): { changes: number };
}
const statements = new WeakMap<object, Map<string, PoolInsert>>();

/**
 * Bulk-inserts codes into a coupon's pool, skipping any the organisation already has.
 * Returns the codes that went in. Lives here because it talks SQLite directly: a million rows
 * through the query builder would take far longer than SPEC §7 allows.
 */
export function insertPoolCodes(db: Database, orgId: string, couponId: string, codes: readonly string[], batchId: string | null = null): string[] {
  const inserted: string[] = [];
  forEachBatch(orgId, couponId, batchId, codes, (params, rows) => {
    for (const row of statementFor(db, rows, 'returning').all(...params)) inserted.push(row.code);
  });
  return inserted;
}

/** The same, answering only how many went in (generation needs no more, and saves the memory). */
export function countInsertedPoolCodes(db: Database, orgId: string, couponId: string, codes: readonly string[], batchId: string | null = null): number {
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
