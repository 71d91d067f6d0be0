import { redeemPageSchema, type RedeemPage } from '@couponflow/coupons';

export const defaultSettings: RedeemPage = redeemPageSchema.parse({});

/**
 * Redeem page settings the renderer can trust. Saved settings pass whole; an unsaved configuration
 * from the designer keeps every valid field and falls back to the default for each invalid one,
 * so the live preview never breaks while the admin is typing.
 */
export function resolveSettings(input: unknown): RedeemPage {
  const whole = redeemPageSchema.safeParse(input ?? {});
  if (whole.success) return whole.data;
  const raw = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const shape = redeemPageSchema.shape;
  const fields = Object.keys(shape) as Array<keyof typeof shape>;
  return Object.fromEntries(
    fields.map((key) => {
      const field = shape[key].safeParse(raw[key]);
      return [key, field.success ? field.data : defaultSettings[key]];
    }),
  ) as RedeemPage;
}

/** An admin wording, or the default one when left blank. */
export function wording(settings: RedeemPage, key: keyof RedeemPage['wordings']): string {
  return settings.wordings[key].trim() || defaultSettings.wordings[key];
}
