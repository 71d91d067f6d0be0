import { and, desc, eq, lt } from 'drizzle-orm';
import { redemptionEvents } from '@couponflow/db';
import type { EngineContext } from './context';
import type { Page } from './listCoupons';

export interface EventView {
  id: number;
  couponId: string | null;
  recordId: string | null;
  customerId: string | null;
  action: string;
  outcome: string;
  at: string;
}

/** The audit trail, newest first. */
export function listEvents(
  ctx: EngineContext,
  orgId: string,
  { couponId, cursor, limit = 100 }: { couponId?: string; cursor?: number; limit?: number } = {},
): Page<EventView> {
  const e = redemptionEvents;
  const rows = ctx.db
    .select()
    .from(e)
    .where(and(eq(e.orgId, orgId), couponId ? eq(e.couponId, couponId) : undefined, cursor ? lt(e.id, cursor) : undefined))
    .orderBy(desc(e.id))
    .limit(limit + 1)
    .all();
  const items = rows.slice(0, limit).map(({ orgId: _org, at, ...rest }) => ({ ...rest, at: at.toISOString() }));
  return { items, nextCursor: rows.length > limit ? String(items.at(-1)!.id) : null };
}
