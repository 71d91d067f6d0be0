import { z } from 'zod';
import { buttonTitle, imageUrl, messageText } from '../configFields';

/**
 * Capillary-style expiry reminder: sent once, N hours before the customer's offer expires, while it
 * is still unredeemed. Decimals allowed (0.5 = 30 minutes); at most a year.
 */
export const offerReminderSchema = z
  .strictObject({
    hoursBefore: z.number().positive('must be more than 0').max(8760).meta({ description: 'How long before the offer expires the reminder goes out (hours).' }),
    message: messageText.meta({ description: 'The reminder; it carries the same redeem button as the offer.' }),
  })
  .meta({ description: 'Remind the customer before an unredeemed offer expires. Offers that never expire get no reminder.' });

/** SPEC §3.3: the offer is `message` + `imageUrl` + one button opening the redeem page. */
export const distributeCouponConfigSchema = z.strictObject({
  couponId: z.string().trim().min(1, 'choose a coupon').max(64),
  message: messageText.meta({ description: 'Shown with the offer, before redemption.' }),
  buttonTitle: buttonTitle.meta({ description: 'Opens the customer’s redeem page.' }),
  imageUrl: imageUrl.optional(),
  reminder: offerReminderSchema.optional(),
  whatsappTemplate: z
    .strictObject({
      name: z.string().trim().min(1).max(512),
      language: z.string().trim().min(2).max(15),
      headerImage: z.boolean().optional(),
      bodyText: z.boolean().optional(),
      buttonUrlSuffix: z.boolean().optional(),
    })
    .optional()
    .meta({ description: 'WhatsApp: the approved template for offers outside the 24 h window (overrides the inbox’s).' }),
});

export type DistributeCouponConfig = z.output<typeof distributeCouponConfigSchema>;
export type OfferReminder = z.output<typeof offerReminderSchema>;
