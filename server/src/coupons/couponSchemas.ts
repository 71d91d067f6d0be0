import { z } from 'zod';
import { couponInputSchema, eventsQuerySchema, recordsQuerySchema, statsQuerySchema } from '@couponflow/coupons';
import { eventActions, recordStatuses } from '@couponflow/db';

const count = z.number().int();

/** Records that reached each step (`sent ≥ opened ≥ redeemed ≥ verified`), plus those expired or revoked now. */
export const funnelSchema = z
  .object({ sent: count, opened: count, redeemed: count, verified: count, expired: count, revoked: count })
  .meta({ id: 'Funnel', description: 'How many records reached each step (a reversed redemption no longer counts as redeemed), plus the current expired and revoked' });

/** Response shapes of the coupon endpoints, built from the engine's own input schemas. */
export const couponSchema = couponInputSchema
  .extend({
    id: z.string(),
    status: z.enum(['active', 'inactive', 'revoked']),
    redeemedCount: count.meta({ description: 'redemptions the limits count (reversed ones excluded)' }),
    issuedCount: count.meta({ description: 'records issued, for maxIssuedTotal' }),
    poolSize: count,
    stockLeft: count.nullable().meta({ description: 'free pool codes or redemptions left under totalLimit (the smaller); null when unbounded' }),
    lowStock: z.boolean().meta({ description: 'stockLeft is below lowStockThreshold (default 10% of the capacity)' }),
    funnel: funnelSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Coupon' });

const nullableDate = z.string().nullable();
export const recordSchema = z
  .object({
    id: z.string(),
    couponId: z.string(),
    customerId: z.string(),
    inboxId: z.string(),
    channel: z.string(),
    status: z.enum(recordStatuses),
    code: z.string().nullable(),
    token: z.string(),
    sentAt: z.string(),
    openedAt: nullableDate,
    redeemedAt: nullableDate,
    verifiedAt: nullableDate,
    expiresAt: nullableDate,
    revokedAt: nullableDate,
    reversedAt: nullableDate,
    flowRunId: z.string().nullable(),
    nodeId: z.string().nullable(),
  })
  .meta({ id: 'RedemptionRecord' });

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const couponIdParams = z.object({ id: z.string() });

export const recordsQuery = recordsQuerySchema.extend({ format: z.enum(['json', 'csv']).default('json') });

export const statsQuery = statsQuerySchema;
export const statsSchema = funnelSchema
  .extend({
    timeZone: z.string().optional().meta({ description: 'with groupBy=day: the organisation’s time zone the days are cut in' }),
    series: z.array(funnelSchema.extend({ date: z.string().meta({ description: 'local date, YYYY-MM-DD' }) })).optional(),
  })
  .meta({ id: 'CouponStats' });

export const eventsQuery = eventsQuerySchema.extend({ format: z.enum(['json', 'csv']).default('json') });
export const eventSchema = z
  .object({
    id: z.number().int(),
    couponId: z.string().nullable(),
    recordId: z.string().nullable(),
    customerId: z.string().nullable(),
    action: z.enum(eventActions),
    outcome: z.string().meta({ description: '`ok`, or the reason the attempt was refused' }),
    detail: z.string().nullable(),
    at: z.string(),
  })
  .meta({ id: 'CouponEvent' });

/** An upload's report: the first 1,000 refused lines by line number, and every refusal counted. */
export const uploadReport = <R extends readonly [string, ...string[]]>(reasons: R) =>
  z.object({
    added: count,
    total: count,
    rejected: z.array(z.object({ line: count, value: z.string(), reason: z.enum(reasons) })).meta({ description: 'at most the first 1,000 refused lines' }),
    rejectedCount: count,
    rejectedByReason: z.object(Object.fromEntries(reasons.map((r) => [r, count])) as Record<R[number], typeof count>),
  });
