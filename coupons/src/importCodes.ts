import { eq, sql } from 'drizzle-orm';
import { parse } from 'csv-parse';
import { coupons, insertPoolCodes, writeTransaction } from '@couponflow/db';
import { codeMaxLength, codeMinLength, codePattern } from './codeAlphabet';
import type { EngineContext } from './context';
import type { RedeemPage } from './couponSchema';
import { findCoupon } from './findCoupon';
import { maxPoolSize, type PoolChange } from './generateCodes';
import { ok, refuse, type Result } from './result';
import { canDisplayCode } from './symbology';

export const maxImportBytes = 10 * 1024 * 1024;
/** The report lists at most this many refused lines; `rejectedCount` has them all. */
export const maxReportedRejections = 1000;

export type RejectReason = 'duplicate_in_file' | 'duplicate_existing' | 'invalid_format' | 'too_long';
export interface Rejection {
  line: number;
  value: string;
  reason: RejectReason;
}
export interface ImportReport extends PoolChange {
  rejected: Rejection[];
  rejectedCount: number;
}

const headerNames = /^(coupon[ _-]?)?(codes?|serials?|serial[ _-]?numbers?)$/i;

/**
 * Imports a CSV of codes (one column, optional header) into a unique coupon's pool (SPEC §2.2).
 * The body is parsed as it streams in; valid lines are added in one transaction at the end.
 */
export async function importCodes(
  ctx: EngineContext,
  orgId: string,
  couponId: string,
  body: AsyncIterable<Buffer | string>,
  { maxBytes = maxImportBytes }: { maxBytes?: number } = {},
): Promise<Result<ImportReport>> {
  const coupon = findCoupon(ctx.db, orgId, couponId);
  if (!coupon) return refuse('coupon_not_found', 'No such coupon');
  if (coupon.codeType !== 'unique') return refuse('not_unique_coupon', 'Only unique-code coupons have a code pool');
  const display = (coupon.redeemPage as RedeemPage).codeDisplay;

  const lines = new Map<string, number>();
  const rejected: Rejection[] = [];
  const parsed = await parseCodes(body, maxBytes, (line, value, first) => {
    if (first && headerNames.test(value)) return;
    const reason = formatProblem(value, (code) => canDisplayCode(display, code));
    if (reason) rejected.push({ line, value: value.slice(0, 100), reason });
    else if (lines.has(value)) rejected.push({ line, value, reason: 'duplicate_in_file' });
    else lines.set(value, line);
  });
  if (parsed === 'too_large') return refuse('file_too_large', `The file is larger than ${maxBytes} bytes; nothing was imported`);
  if (parsed !== 'ok') return refuse('validation_failed', `The file is not readable CSV: ${parsed.error}`);

  return writeTransaction(ctx.db, (tx) => {
    const current = findCoupon(tx, orgId, couponId)!;
    if (current.poolSize + lines.size > maxPoolSize)
      return refuse('pool_limit_exceeded', `A pool holds at most ${maxPoolSize} codes; this one has ${current.poolSize} and the file adds ${lines.size}`);
    // Sorted, the inserts walk the unique index in order instead of jumping around it.
    const inserted = new Set(insertPoolCodes(tx, orgId, couponId, [...lines.keys()].sort()));
    for (const [value, line] of lines) if (!inserted.has(value)) rejected.push({ line, value, reason: 'duplicate_existing' });
    const row = tx
      .update(coupons)
      .set({ poolSize: sql`${coupons.poolSize} + ${inserted.size}`, updatedAt: ctx.now() })
      .where(eq(coupons.id, couponId))
      .returning({ poolSize: coupons.poolSize })
      .get();
    rejected.sort((a, b) => a.line - b.line);
    return ok({ added: inserted.size, total: row.poolSize, rejected: rejected.slice(0, maxReportedRejections), rejectedCount: rejected.length });
  });
}

function formatProblem(value: string, displayable: (code: string) => boolean): RejectReason | null {
  if (value.length > codeMaxLength) return 'too_long';
  if (value.length < codeMinLength || !codePattern.test(value) || !displayable(value)) return 'invalid_format';
  return null;
}

type ParseOutcome = 'ok' | 'too_large' | { error: string };

/** Streams `body` through csv-parse, counting bytes; stops at the first byte past `maxBytes`. */
async function parseCodes(
  body: AsyncIterable<Buffer | string>,
  maxBytes: number,
  onLine: (line: number, value: string, first: boolean) => void,
): Promise<ParseOutcome> {
  const parser = parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, info: true });
  let bytes = 0;
  let first = true;
  const feeding = (async () => {
    for await (const chunk of body) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      if (bytes > maxBytes) {
        parser.destroy();
        return 'too_large' as const;
      }
      if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve));
    }
    parser.end();
    return 'ok' as const;
  })();
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const [value = '', ...rest] = record;
      if (rest.some((field) => field !== '')) onLine(info.lines, record.join(','), first);
      else onLine(info.lines, value, first);
      first = false;
    }
  } catch (error) {
    if ((await feeding.catch(() => 'ok')) === 'too_large') return 'too_large';
    return { error: (error as Error).message };
  }
  return feeding;
}
