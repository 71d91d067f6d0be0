import { z } from 'zod';
import { charsets, codeMaxLength, codeMinLength, codePattern } from './codeAlphabet';
import { codeDisplays } from './symbology';

/** One schema per fact: validation, types and (through the server) the OpenAPI document. */
const isoDateTime = z.iso.datetime({ offset: true });
const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https URL' }).max(2000);
const webUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000);
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f6feb');
const tag = z.string().trim().min(1).max(50);
const limit = z.number().int().positive().max(1_000_000);

export const customCode = z
  .string()
  .min(codeMinLength)
  .max(codeMaxLength)
  .regex(codePattern, 'may use letters, digits and @ # . _ -');

export const codePrefix = z.string().min(1).max(16).regex(codePattern, 'may use letters, digits and @ # . _ -');

export const couponCodeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('common'), value: customCode.optional() }),
  z
    .object({
      type: z.literal('unique'),
      length: z.number().int().min(6).max(32).default(10),
      charset: z.enum(Object.keys(charsets) as [keyof typeof charsets]).default('alphanumeric'),
      prefix: codePrefix.optional(),
    })
    .refine((c) => (c.prefix?.length ?? 0) + c.length <= codeMaxLength, {
      message: `prefix + length may not exceed ${codeMaxLength}`,
      path: ['length'],
    }),
]);

export const activePeriodSchema = z
  .object({ startsAt: isoDateTime, endsAt: isoDateTime.nullable().default(null) })
  .refine((p) => p.endsAt === null || Date.parse(p.endsAt) > Date.parse(p.startsAt), {
    message: 'endsAt must be after startsAt',
    path: ['endsAt'],
  });

const days = z.number().int().min(1).max(3650);
export const usageExpirySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('active_period') }),
  z.object({ type: z.literal('days_after_sent'), days }),
  z.object({ type: z.literal('days_after_redeemed'), days }),
]);

export const redeemPageSchema = z.object({
  codeDisplay: z.enum(codeDisplays).default('text'),
  redeemButton: z
    .discriminatedUnion('mode', [
      z.object({ mode: z.literal('click'), label: z.string().trim().min(1).max(40).default('Redeem') }),
      z.object({ mode: z.literal('on_open') }),
    ])
    .default({ mode: 'click', label: 'Redeem' }),
  useButton: z.object({ label: z.string().trim().min(1).max(40), url: webUrl }).nullable().default(null),
  copyButton: z
    .object({ enabled: z.boolean().default(true), label: z.string().trim().min(1).max(40).default('Copy code') })
    .default({ enabled: true, label: 'Copy code' }),
  backgroundColor: color.default('#f4f4f6'),
  buttonColor: color.default('#1f6feb'),
  buttonTextColor: color.default('#ffffff'),
  brandIconUrl: httpsUrl.nullable().default(null),
  campaignImageUrl: httpsUrl.nullable().default(null),
  title: z.string().trim().max(100).nullable().default(null),
  terms: z.string().max(10_000).default(''),
  wordings: z
    .object({
      redeemed: z.string().max(200).default('Show this code at the counter.'),
      expired: z.string().max(200).default('This coupon has expired.'),
      unavailable: z.string().max(200).default('This coupon is not available.'),
      limitReached: z.string().max(200).default('All coupons have been claimed.'),
    })
    .default({
      redeemed: 'Show this code at the counter.',
      expired: 'This coupon has expired.',
      unavailable: 'This coupon is not available.',
      limitReached: 'All coupons have been claimed.',
    }),
});

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time like 09:30 (00:00–24:00)');
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When in the week a code may be redeemed, in the organisation's time zone (Capillary's redemption
 * schedule): on these days, from `from` (inclusive) to `to` (exclusive). A window never spans midnight;
 * an evening-to-morning offer is two windows' worth of days, so `to` must be after `from`.
 */
export const redemptionWindowSchema = z
  .object({
    days: z.array(z.enum(weekdays)).min(1).max(7),
    from: clockTime.default('00:00'),
    to: clockTime.default('24:00'),
  })
  .refine((w) => minutesOf(w.to) > minutesOf(w.from), { message: 'to must be after from', path: ['to'] })
  .meta({ id: 'RedemptionWindow' });

/** Who may be offered the coupon: customers carrying a contact tag, or an uploaded list of customer ids. */
export const audienceSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('tag'), tag }),
    z.object({ type: z.literal('list') }),
  ])
  .meta({ id: 'Audience' });

/** What the customer gets, shown on the redeem page (the engine does not compute prices). */
export const discountSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('percent'), value: z.number().positive().max(100) }),
    z.object({ type: z.literal('amount'), value: z.number().positive().max(1_000_000_000), currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code like EUR') }),
    z.object({ type: z.literal('free_item'), value: z.string().trim().min(1).max(100) }),
  ])
  .meta({ id: 'Discount' });

export const contactTagsSchema = z.object({ onSent: tag.optional(), onOpened: tag.optional(), onRedeemed: tag.optional() });

const externalId = z.string().trim().min(1).max(100);
const minHours = z.number().int().min(1).max(87_600);
const afterDays = z.number().int().min(1).max(3650);
const lowStockThreshold = z.number().int().min(0).max(1_000_000);

export const couponInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  code: couponCodeSchema,
  activePeriod: activePeriodSchema,
  totalLimit: limit.nullable().default(null),
  perCustomerLimit: limit.nullable().default(null),
  active: z.boolean().default(true),
  usageExpiry: usageExpirySchema.default({ type: 'active_period' }),
  redeemPage: redeemPageSchema.default(redeemPageSchema.parse({})),
  contactTags: contactTagsSchema.default({}),
  externalId: externalId.nullable().default(null),
  discount: discountSchema.nullable().default(null),
  redemptionWindow: redemptionWindowSchema.nullable().default(null),
  minHoursBetweenRedemptions: minHours.nullable().default(null),
  redeemableAfterDays: afterDays.nullable().default(null),
  audience: audienceSchema.nullable().default(null),
  maxIssuedTotal: limit.nullable().default(null),
  maxIssuedPerCustomer: limit.nullable().default(null),
  /** below this many codes or redemptions left the coupon is low on stock; default 10% of its capacity */
  lowStockThreshold: lowStockThreshold.nullable().default(null),
});

/** PATCH: any field of the input; `code` may be sent back unchanged but not changed. */
export const couponPatchSchema = z.object({
  name: couponInputSchema.shape.name.optional(),
  code: couponCodeSchema.optional(),
  activePeriod: activePeriodSchema.optional(),
  totalLimit: limit.nullable().optional(),
  perCustomerLimit: limit.nullable().optional(),
  active: z.boolean().optional(),
  usageExpiry: usageExpirySchema.optional(),
  redeemPage: redeemPageSchema.optional(),
  contactTags: contactTagsSchema.optional(),
  // No defaults here: zod applies a default even under optional(), which would reset unsent fields.
  externalId: externalId.nullable().optional(),
  discount: discountSchema.nullable().optional(),
  redemptionWindow: redemptionWindowSchema.nullable().optional(),
  minHoursBetweenRedemptions: minHours.nullable().optional(),
  redeemableAfterDays: afterDays.nullable().optional(),
  audience: audienceSchema.nullable().optional(),
  maxIssuedTotal: limit.nullable().optional(),
  maxIssuedPerCustomer: limit.nullable().optional(),
  lowStockThreshold: lowStockThreshold.nullable().optional(),
});

export type CouponInput = z.input<typeof couponInputSchema>;
export type CouponSettings = z.output<typeof couponInputSchema>;
export type CouponPatch = z.input<typeof couponPatchSchema>;
export type RedeemPage = z.output<typeof redeemPageSchema>;
export type UsageExpiry = z.output<typeof usageExpirySchema>;
export type ContactTags = z.output<typeof contactTagsSchema>;
export type RedemptionWindow = z.output<typeof redemptionWindowSchema>;
export type Audience = z.output<typeof audienceSchema>;
export type Discount = z.output<typeof discountSchema>;

export function zodDetails(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
