import type { Database } from './openDatabase';

const rowsPerStatement = 500;
const statements = new WeakMap<object, Map<number, { all(...params: string[]): Array<{ code: string }> }>>();

/**
 * Bulk-inserts codes into a coupon's pool, skipping any the organisation already has.
 * Returns the codes that went in. Lives here because it talks SQLite directly: a million rows
 * through the query builder would take far longer than SPEC §7 allows.
 */
export function insertPoolCodes(db: Database, orgId: string, couponId: string, codes: readonly string[]): string[] {
  const inserted: string[] = [];
  for (let at = 0; at < codes.length; at += rowsPerStatement) {
    const batch = codes.slice(at, at + rowsPerStatement);
    const params: string[] = [];
    for (const code of batch) params.push(orgId, couponId, code);
    for (const row of statementFor(db, batch.length).all(...params)) inserted.push(row.code);
  }
  return inserted;
}

function statementFor(db: Database, rows: number) {
  const client = db.$client;
  let cache = statements.get(client);
  if (!cache) statements.set(client, (cache = new Map()));
  let statement = cache.get(rows);
  if (!statement) {
    const values = Array.from({ length: rows }, () => '(?, ?, ?)').join(', ');
    statement = client.prepare(
      `insert into coupon_codes (org_id, coupon_id, code) values ${values} on conflict do nothing returning code`,
    ) as unknown as { all(...params: string[]): Array<{ code: string }> };
    cache.set(rows, statement);
  }
  return statement;
}
