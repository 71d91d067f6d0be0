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

export const contactTagsSchema = z.object({ onSent: tag.optional(), onOpened: tag.optional(), onRedeemed: tag.optional() });

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
});

export type CouponInput = z.input<typeof couponInputSchema>;
export type CouponSettings = z.output<typeof couponInputSchema>;
export type CouponPatch = z.input<typeof couponPatchSchema>;
export type RedeemPage = z.output<typeof redeemPageSchema>;
export type UsageExpiry = z.output<typeof usageExpirySchema>;
export type ContactTags = z.output<typeof contactTagsSchema>;

export function zodDetails(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
