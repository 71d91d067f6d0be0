import type { Readable } from 'node:stream';
import { and, desc, eq, gte, lt } from 'drizzle-orm';
import { eventActions, type redemptionEvents } from '@couponflow/db';
import { z } from 'zod';
import type { EngineContext } from './context';
import { zodDetails } from './couponSchema';
import { findCoupon } from './findCoupon';
import type { Page } from './listCoupons';
import { pagesAsCsv } from './pagesAsCsv';
import { ok, refuse, type Result } from './result';

export interface EventView {
  id: number;
  couponId: string | null;
  recordId: string | null;
  customerId: string | null;
  action: string;
  /** `ok`, or the reason the attempt was refused */
  outcome: string;
  detail: string | null;
  at: string;
}

export const eventsQuerySchema = z.object({
  outcome: z.string().min(1).max(64).optional(),
  action: z.enum(eventActions).optional(),
  customerId: z.string().min(1).max(200).optional(),
  /** at ≥ from */
  from: z.iso.datetime({ offset: true }).optional(),
  /** at < to */
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().regex(/^\d+$/).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type EventsQuery = z.input<typeof eventsQuerySchema>;

/** The audit trail of one coupon (SPEC §2.4: every attempt with its outcome), newest first. */
export async function listCouponEvents(ctx: EngineContext, orgId: string, couponId: string, query: unknown): Promise<Result<Page<EventView>>> {
  const parsed = eventsQuerySchema.safeParse(query);
  if (!parsed.success) return refuse('validation_failed', 'The query is not valid', zodDetails(parsed.error));
  if (!(await findCoupon(ctx.db, orgId, couponId))) return refuse('coupon_not_found', 'No such coupon');
  const q = parsed.data;
  const e = ctx.db.tables.redemptionEvents;
  const rows = await ctx.db
    .select()
    .from(e)
    .where(
      and(
        eq(e.orgId, orgId),
        eq(e.couponId, couponId),
        q.outcome ? eq(e.outcome, q.outcome) : undefined,
        q.action ? eq(e.action, q.action) : undefined,
        q.customerId ? eq(e.customerId, q.customerId) : undefined,
        q.from ? gte(e.at, new Date(q.from)) : undefined,
        q.to ? lt(e.at, new Date(q.to)) : undefined,
        q.cursor ? lt(e.id, Number(q.cursor)) : undefined,
      ),
    )
    .orderBy(desc(e.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit).map(eventView);
  return ok({ items, nextCursor: rows.length > q.limit ? String(items.at(-1)!.id) : null });
}

const columns: Array<keyof EventView> = ['id', 'at', 'action', 'outcome', 'customerId', 'recordId', 'detail'];

/** The same events as CSV, streamed page by page; cells escaped against formula injection. */
export function exportEventsCsv(ctx: EngineContext, orgId: string, couponId: string, query: Record<string, unknown>): Promise<Result<Readable>> {
  return pagesAsCsv(columns, (cursor) => listCouponEvents(ctx, orgId, couponId, { ...query, cursor, limit: 1000 }));
}

/** The organisation's whole trail, newest first (kept for callers that read across coupons). */
export async function listEvents(
  ctx: EngineContext,
  orgId: string,
  { couponId, cursor, limit = 100 }: { couponId?: string; cursor?: number; limit?: number } = {},
): Promise<Page<EventView>> {
  const e = ctx.db.tables.redemptionEvents;
  const rows = await ctx.db
    .select()
    .from(e)
    .where(and(eq(e.orgId, orgId), couponId ? eq(e.couponId, couponId) : undefined, cursor ? lt(e.id, cursor) : undefined))
    .orderBy(desc(e.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(eventView);
  return { items, nextCursor: rows.length > limit ? String(items.at(-1)!.id) : null };
}

function eventView(row: typeof redemptionEvents.$inferSelect): EventView {
  const { orgId: _org, at, ...rest } = row;
  return { ...rest, at: at.toISOString() };
}
