import { z } from 'zod';
import { buttonTitle, imageUrl, linkUrl, messageText } from '../configFields';

export const urlButtonSchema = z.strictObject({ title: buttonTitle, url: linkUrl });

export const sendMessageConfigSchema = z.strictObject({
  text: messageText.meta({ description: 'May use {{contact.*}}, {{coupon.*}} and {{vars.*}}.' }),
  imageUrl: imageUrl.optional(),
  // Three is the most every channel's button template carries.
  buttons: z.array(urlButtonSchema).max(3).optional(),
});

export type SendMessageConfig = z.output<typeof sendMessageConfigSchema>;
export type UrlButton = z.output<typeof urlButtonSchema>;
