import { z } from 'zod';
import { couponInputSchema, recordsQuerySchema } from '@couponflow/coupons';
import { recordStatuses } from '@couponflow/db';

/** Response shapes of the coupon endpoints, built from the engine's own input schemas. */
export const couponSchema = couponInputSchema
  .extend({
    id: z.string(),
    status: z.enum(['active', 'inactive', 'revoked']),
    redeemedCount: z.number().int(),
    poolSize: z.number().int(),
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
    flowRunId: z.string().nullable(),
    nodeId: z.string().nullable(),
  })
  .meta({ id: 'RedemptionRecord' });

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const couponIdParams = z.object({ id: z.string() });

export const recordsQuery = recordsQuerySchema.extend({ format: z.enum(['json', 'csv']).default('json') });

export const statsSchema = z.object(Object.fromEntries(recordStatuses.map((s) => [s, z.number().int()])) as Record<(typeof recordStatuses)[number], z.ZodNumber>);
