import { count, eq } from 'drizzle-orm';
import { changedRows, writeTransaction } from '@couponflow/db';
import type { EngineContext } from './context';
import { parseCsvLines, RejectionLog, type Rejection } from './csvLines';
import { findCoupon } from './findCoupon';
import { maxImportBytes } from './importCodes';
import { ok, refuse, type Result } from './result';

export const audienceRejectReasons = ['duplicate_in_file', 'duplicate_existing', 'invalid_format'] as const;
export type AudienceRejectReason = (typeof audienceRejectReasons)[number];
export interface AudienceReport {
  added: number;
  /** customers on the list afterwards */
  total: number;
  rejected: Array<Rejection<AudienceRejectReason>>;
  rejectedCount: number;
  rejectedByReason: Record<AudienceRejectReason, number>;
}

const headerNames = /^(customer[ _-]?ids?|customers?|user[ _-]?ids?|ids?)$/i;
const chunkRows = 5_000;

/**
 * Adds a CSV of customer ids (one column, optional header) to the coupon's audience list, for
 * `audience: {type: "list"}`. Streamed; written in short chunks once the whole file was read.
 */
export async function importAudience(
  ctx: EngineContext,
  orgId: string,
  couponId: string,
  body: AsyncIterable<Buffer | string>,
  { maxBytes = maxImportBytes }: { maxBytes?: number } = {},
): Promise<Result<AudienceReport>> {
  if (!(await findCoupon(ctx.db, orgId, couponId))) return refuse('coupon_not_found', 'No such coupon');
  const { couponAudience } = ctx.db.tables;
  const seen = new Map<string, number>();
  const rejected = new RejectionLog<AudienceRejectReason>();
  let added = 0;
  const write = async (rows: Array<{ line: number; value: string }>) => {
    const inserted = await writeTransaction(ctx.db, (tx) =>
      tx
        .insert(couponAudience)
        .values(rows.map((r) => ({ couponId, customerId: r.value })))
        .onConflictDoNothing()
        .returning({ customerId: couponAudience.customerId }),
    );
    const fresh = new Set(inserted.map((r) => r.customerId));
    for (const r of rows) if (!fresh.has(r.value)) rejected.add(r.line, r.value, 'duplicate_existing');
    added += fresh.size;
  };
  const parsed = await parseCsvLines(body, maxBytes, (line, value, first) => {
    if (first && headerNames.test(value)) return;
    if (value.length === 0 || value.length > 200) return rejected.add(line, value, 'invalid_format');
    if (seen.has(value)) return rejected.add(line, value, 'duplicate_in_file');
    seen.set(value, line);
  });
  if (parsed === 'too_large') return refuse('file_too_large', `The file is larger than ${maxBytes} bytes; the list was not completed`);
  if (parsed !== 'ok') return refuse('validation_failed', `The file is not readable CSV: ${parsed.error}`);
  // Written only once the whole file was read (an oversize file writes nothing), in short chunks.
  let rows: Array<{ line: number; value: string }> = [];
  for (const [value, line] of seen) {
    rows.push({ line, value });
    if (rows.length === chunkRows) {
      await write(rows);
      rows = [];
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  if (rows.length) await write(rows);
  const [counted] = await ctx.db.select({ n: count() }).from(couponAudience).where(eq(couponAudience.couponId, couponId));
  const total = counted?.n ?? 0;
  const rejectedByReason = Object.fromEntries(audienceRejectReasons.map((r) => [r, rejected.counts[r] ?? 0])) as Record<AudienceRejectReason, number>;
  return ok({ added, total, rejected: rejected.report(), rejectedCount: rejected.total, rejectedByReason });
}

/** Empties the coupon's audience list (to upload a new one). */
export async function clearAudience(ctx: EngineContext, orgId: string, couponId: string): Promise<Result<{ removed: number }>> {
  if (!(await findCoupon(ctx.db, orgId, couponId))) return refuse('coupon_not_found', 'No such coupon');
  const { couponAudience } = ctx.db.tables;
  const removed = await writeTransaction(ctx.db, (tx) => changedRows(tx, tx.delete(couponAudience).where(eq(couponAudience.couponId, couponId))));
  return ok({ removed });
}
