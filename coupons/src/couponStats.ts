import { and, count, eq, gte, inArray, isNotNull, lt, lte, or, type SQL } from 'drizzle-orm';
import { epochBucket, type Tables } from '@couponflow/db';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { EngineContext } from './context';
import { couponFunnel, type Funnel } from './couponFunnel';
import { zodDetails } from './couponSchema';
import { findCoupon } from './findCoupon';
import { orgTimeZone } from './orgTimeZone';
import { ok, refuse, type Result } from './result';

export type CouponStats = Funnel;
export interface DailyStats extends Funnel {
  /** the local date in the organisation's time zone */
  date: string;
}
export interface CouponStatsAnswer extends Funnel {
  /** with `groupBy=day`: the zone the days are cut in, and one entry per day from `from` to `to` */
  timeZone?: string;
  series?: DailyStats[];
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-06-01');
export const statsQuerySchema = z.object({
  groupBy: z.enum(['day']).optional(),
  /** first day of the series (org time zone), default 29 days before `to` */
  from: isoDate.optional(),
  /** last day of the series, included (org time zone), default today */
  to: isoDate.optional(),
});
export const maxSeriesDays = 366;

/**
 * The funnel of SPEC §5 `GET /coupons/:id/stats` (issue 10): how many records reached each step,
 * plus how many are expired or revoked now; with `groupBy=day` a daily series of each step, days
 * cut in the organisation's time zone.
 */
export async function couponStats(ctx: EngineContext, orgId: string, couponId: string, query: unknown = {}): Promise<Result<CouponStatsAnswer>> {
  const parsed = statsQuerySchema.safeParse(query);
  if (!parsed.success) return refuse('validation_failed', 'The query is not valid', zodDetails(parsed.error));
  if (!(await findCoupon(ctx.db, orgId, couponId))) return refuse('coupon_not_found', 'No such coupon');
  const now = ctx.now();
  const funnel = await couponFunnel(ctx.db, couponId, now);
  const q = parsed.data;
  if (q.groupBy !== 'day') return ok(funnel);

  const zone = await orgTimeZone(ctx.db, orgId);
  const last = q.to ? DateTime.fromISO(q.to, { zone }) : DateTime.fromMillis(now.getTime(), { zone }).startOf('day');
  const first = q.from ? DateTime.fromISO(q.from, { zone }) : last.minus({ days: 29 });
  if (!first.isValid || !last.isValid) return refuse('validation_failed', 'from and to must be real dates', [{ path: 'from', message: 'not a date' }]);
  const days = Math.round(last.diff(first, 'days').days) + 1;
  if (days < 1 || days > maxSeriesDays)
    return refuse('validation_failed', `The series covers 1 to ${maxSeriesDays} days, from ≤ to`, [{ path: 'to', message: 'range' }]);
  const edges = Array.from({ length: days + 1 }, (_, i) => first.plus({ days: i }).startOf('day').toMillis());
  const series: DailyStats[] = edges.slice(0, -1).map((edge) => ({
    date: DateTime.fromMillis(edge, { zone }).toISODate()!,
    ...{ sent: 0, opened: 0, redeemed: 0, verified: 0, expired: 0, revoked: 0 },
  }));
  for (const [step, rows] of Object.entries(await stepCounts(ctx, couponId, edges[0]!, edges[days]!, now)) as Array<[keyof Funnel, Bucket[]]>) {
    for (const { bucket, n } of rows) {
      const day = dayIndex(edges, Number(bucket) * quarterHourMs);
      if (day >= 0 && day < days) series[day]![step] += Number(n);
    }
  }
  return ok({ ...funnel, timeZone: zone, series });
}

// Every zone's offset today is a multiple of 15 minutes, so counting per quarter hour in SQL and
// placing the quarters into local days here is exact, and neither dialect needs time zone support.
const quarterHourMs = 15 * 60 * 1000;
interface Bucket {
  bucket: number;
  n: number;
}

async function stepCounts(ctx: EngineContext, couponId: string, fromMs: number, toMs: number, now: Date): Promise<Record<keyof Funnel, Bucket[]>> {
  const { db } = ctx;
  const r = db.tables.redemptionRecords;
  const from = new Date(fromMs);
  const to = new Date(toMs);
  const per = (column: Tables['redemptionRecords']['sentAt'] | Tables['redemptionRecords']['openedAt'], where?: SQL): Promise<Bucket[]> => {
    const bucket = epochBucket(db, column, quarterHourMs);
    return db
      .select({ bucket, n: count() })
      .from(r)
      .where(and(eq(r.couponId, couponId), isNotNull(column), gte(column, from), lt(column, to), where))
      .groupBy(bucket);
  };
  return {
    sent: await per(r.sentAt),
    opened: await per(r.openedAt),
    redeemed: await per(r.redeemedAt),
    verified: await per(r.verifiedAt),
    // An expired record counts on the day its usable time ended.
    expired: await per(r.expiresAt, or(eq(r.status, 'expired'), and(inArray(r.status, ['sent', 'opened', 'redeemed']), lte(r.expiresAt, now)))),
    revoked: await per(r.revokedAt, eq(r.status, 'revoked')),
  };
}

/** Index of the day whose [edge, next edge) holds `ms`. */
function dayIndex(edges: number[], ms: number): number {
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= ms) lo = mid;
    else hi = mid - 1;
  }
  return ms < edges[0]! ? -1 : lo;
}
