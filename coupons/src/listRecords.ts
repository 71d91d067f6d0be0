import { and, desc, eq, gte, lt } from 'drizzle-orm';
import { recordStatuses } from '@couponflow/db';
import { z } from 'zod';
import type { EngineContext } from './context';
import { zodDetails } from './couponSchema';
import { expireDue } from './expireDue';
import { findCoupon } from './findCoupon';
import type { Page } from './listCoupons';
import { recordView, type RecordView } from './recordView';
import { ok, refuse, type Result } from './result';

export const recordsQuerySchema = z.object({
  status: z.enum(recordStatuses).optional(),
  customerId: z.string().min(1).optional(),
  inboxId: z.string().min(1).optional(),
  /** sentAt ≥ from */
  from: z.iso.datetime({ offset: true }).optional(),
  /** sentAt < to */
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});
export type RecordsQuery = z.input<typeof recordsQuerySchema>;
export type RecordsFilter = z.output<typeof recordsQuerySchema>;

/** A coupon's redemption records, newest first, filtered (SPEC §5 `GET /coupons/:id/redemptions`). */
export async function listRecords(ctx: EngineContext, orgId: string, couponId: string, query: unknown): Promise<Result<Page<RecordView>>> {
  const parsed = recordsQuerySchema.safeParse(query);
  if (!parsed.success) return refuse('validation_failed', 'The query is not valid', zodDetails(parsed.error));
  const q = parsed.data;
  if (!(await findCoupon(ctx.db, orgId, couponId))) return refuse('coupon_not_found', 'No such coupon');
  await expireDue(ctx, { couponId });
  const r = ctx.db.tables.redemptionRecords;
  const rows = await ctx.db
    .select()
    .from(r)
    .where(
      and(
        eq(r.couponId, couponId),
        q.status ? eq(r.status, q.status) : undefined,
        q.customerId ? eq(r.customerId, q.customerId) : undefined,
        q.inboxId ? eq(r.inboxId, q.inboxId) : undefined,
        q.from ? gte(r.sentAt, new Date(q.from)) : undefined,
        q.to ? lt(r.sentAt, new Date(q.to)) : undefined,
        q.cursor ? lt(r.id, q.cursor) : undefined,
      ),
    )
    .orderBy(desc(r.id))
    .limit(q.limit + 1);
  const now = ctx.now();
  const items = rows.slice(0, q.limit).map((row) => recordView(row, now));
  return ok({ items, nextCursor: rows.length > q.limit ? (items.at(-1)?.id ?? null) : null });
}
