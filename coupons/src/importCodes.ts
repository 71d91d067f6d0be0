import { insertPoolCodes, writeTransaction } from '@couponflow/db';
import { codeMaxLength, codeMinLength, codePattern } from './codeAlphabet';
import type { EngineContext } from './context';
import type { RedeemPage } from './couponSchema';
import { maxReportedRejections, parseCsvLines, RejectionLog, type Rejection as LineRejection } from './csvLines';
import { findCoupon } from './findCoupon';
import type { PoolChange, PoolWriteOptions } from './generateCodes';
import { chunkCodes, commonCodesOf, completeBatch, discardBatch, startBatch, yieldToOthers } from './poolBatch';
import { maxPoolSize } from './poolLimits';
import { ok, refuse, type Result } from './result';
import { sortedOrder } from './sortCodes';
import { canDisplayCode } from './symbology';

export const maxImportBytes = 10 * 1024 * 1024;
export { maxReportedRejections };

export const rejectReasons = ['duplicate_in_file', 'duplicate_existing', 'invalid_format', 'too_long'] as const;
export type RejectReason = (typeof rejectReasons)[number];
export type Rejection = LineRejection<RejectReason>;
export interface ImportReport extends PoolChange {
  /** the first 1,000 refused lines, by line number */
  rejected: Rejection[];
  rejectedCount: number;
  /** every refused line counted by reason */
  rejectedByReason: Record<RejectReason, number>;
}

const headerNames = /^(coupon[ _-]?)?(codes?|serials?|serial[ _-]?numbers?)$/i;

/**
 * Imports a CSV of codes (one column, optional header) into a unique coupon's pool (SPEC §2.2).
 * The body is parsed as it streams in; valid lines are then written in short chunks into a batch
 * that counts only once complete (see poolBatch): all or nothing for the user.
 */
export async function importCodes(
  ctx: EngineContext,
  orgId: string,
  couponId: string,
  body: AsyncIterable<Buffer | string>,
  { maxBytes = maxImportBytes, afterChunk }: { maxBytes?: number } & PoolWriteOptions = {},
): Promise<Result<ImportReport>> {
  const coupon = await findCoupon(ctx.db, orgId, couponId);
  if (!coupon) return refuse('coupon_not_found', 'No such coupon');
  if (coupon.codeType !== 'unique') return refuse('not_unique_coupon', 'Only unique-code coupons have a code pool');
  const display = (coupon.redeemPage as RedeemPage).codeDisplay;

  // Valid lines as they come; repeats are found once sorted (no map of 600,000 codes).
  const values: string[] = [];
  const valueLines: number[] = [];
  const rejected = new RejectionLog<RejectReason>();
  const parsed = await parseCsvLines(body, maxBytes, (line, value, first) => {
    if (first && headerNames.test(value)) return;
    const reason = formatProblem(value, (code) => canDisplayCode(display, code));
    if (reason) rejected.add(line, value, reason);
    else {
      values.push(value);
      valueLines.push(line);
    }
  });
  if (parsed === 'too_large') return refuse('file_too_large', `The file is larger than ${maxBytes} bytes; nothing was imported`);
  if (parsed !== 'ok') return refuse('validation_failed', `The file is not readable CSV: ${parsed.error}`);

  // Sorted, the inserts walk the unique index in order instead of jumping around it. Equal codes
  // stay in file order, so the first line of a repeat is the one kept.
  let codes: string[] = [];
  let lines: number[] = [];
  for (const i of sortedOrder(values)) {
    const value = values[i]!;
    if (codes.length && codes[codes.length - 1] === value) rejected.add(valueLines[i]!, value, 'duplicate_in_file');
    else {
      codes.push(value);
      lines.push(valueLines[i]!);
    }
  }
  const current = (await findCoupon(ctx.db, orgId, couponId))!;
  if (current.poolSize + codes.length > maxPoolSize)
    return refuse('pool_limit_exceeded', `A pool holds at most ${maxPoolSize} codes; this one has ${current.poolSize} and the file adds ${codes.length}`);

  // A pool code equal to a common code could not be told apart at the till.
  const commonCodes = await commonCodesOf(ctx.db, orgId);
  if (commonCodes.size) {
    const kept = codes.map((code) => !commonCodes.has(code));
    for (let i = 0; i < codes.length; i++) if (!kept[i]) rejected.add(lines[i]!, codes[i]!, 'duplicate_existing');
    codes = codes.filter((_, i) => kept[i]);
    lines = lines.filter((_, i) => kept[i]);
  }
  const batch = await startBatch(ctx.db, orgId, couponId, ctx.now());
  if (!batch.ok) return batch;
  let added = 0;
  try {
    for (let at = 0; at < codes.length; at += chunkCodes) {
      const chunk = codes.slice(at, at + chunkCodes);
      const inserted = await writeTransaction(ctx.db, (tx) => insertPoolCodes(tx, batch.value, chunk));
      if (inserted.length < chunk.length) {
        const went = new Set(inserted);
        for (let i = 0; i < chunk.length; i++) if (!went.has(chunk[i]!)) rejected.add(lines[at + i]!, chunk[i]!, 'duplicate_existing');
      }
      added += inserted.length;
      await afterChunk?.(added);
      await yieldToOthers();
    }
  } catch (error) {
    await discardBatch(ctx.db, batch.value);
    throw error;
  }
  const done = await completeBatch(ctx.db, orgId, couponId, batch.value, added, ctx.now());
  if (!done.ok) return done;
  const rejectedByReason = Object.fromEntries(rejectReasons.map((r) => [r, rejected.counts[r] ?? 0])) as Record<RejectReason, number>;
  return ok({ added, total: done.value.total, rejected: rejected.report(), rejectedCount: rejected.total, rejectedByReason });
}

function formatProblem(value: string, displayable: (code: string) => boolean): RejectReason | null {
  if (value.length > codeMaxLength) return 'too_long';
  if (value.length < codeMinLength || !codePattern.test(value) || !displayable(value)) return 'invalid_format';
  return null;
}
