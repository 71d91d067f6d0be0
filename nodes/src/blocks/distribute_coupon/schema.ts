import { z } from 'zod';
import { buttonTitle, imageUrl, messageText } from '../configFields';

/** SPEC §3.3: the offer is `message` + `imageUrl` + one button opening the redeem page. */
export const distributeCouponConfigSchema = z.strictObject({
  couponId: z.string().trim().min(1, 'choose a coupon').max(64),
  message: messageText.meta({ description: 'Shown with the offer, before redemption.' }),
  buttonTitle: buttonTitle.meta({ description: 'Opens the customer’s redeem page.' }),
  imageUrl: imageUrl.optional(),
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
