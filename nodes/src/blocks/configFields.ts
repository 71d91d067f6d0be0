import { z } from 'zod';

/** Fields several blocks share, so one limit means one thing everywhere. */

/** `{{contact.*}}`, `{{coupon.*}}`, `{{vars.*}}` — anything else in braces is a typo the runtime would print raw. */
const placeholder = /\{\{\s*([^{}]*?)\s*\}\}/g;
const knownPlaceholder = /^(contact|coupon|vars)(\.[a-zA-Z_][a-zA-Z0-9_]*)+$/;

function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(placeholder)].map((m) => m[1] ?? '').filter((name) => !knownPlaceholder.test(name));
}

export const messageText = z
  .string()
  .trim()
  .min(1, 'required')
  .max(2000)
  .superRefine((text, ctx) => {
    for (const name of unknownPlaceholders(text)) {
      ctx.addIssue({ code: 'custom', message: `unknown placeholder {{${name}}}: use {{contact.…}}, {{coupon.…}} or {{vars.…}}` });
    }
  });

export const imageUrl = z.url({ protocol: /^https$/, error: 'must be an https URL' }).max(2000);
export const linkUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000);

/** Messenger caps button titles at 20 characters; the others allow more, so 20 fits everywhere. */
export const buttonTitle = z.string().trim().min(1, 'required').max(20);

export const tagName = z.string().trim().min(1, 'required').max(50);

export const variableName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]{0,49}$/, 'must start with a letter or _, then letters, digits or _ (at most 50)');

/** Refines a list so that no two entries are equal ignoring case (tags and keywords are matched that way). */
export function distinctIgnoringCase(what: string) {
  return (list: string[], ctx: z.core.$RefinementCtx<string[]>) => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      const key = item.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: `${what} "${item}" is listed twice` });
      seen.add(key);
    });
  };
}
