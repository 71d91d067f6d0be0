import { z } from 'zod';
import { distinctIgnoringCase } from '../configFields';

const keyword = z.string().trim().min(1, 'required').max(50);

/** Where a run begins. Triggers are per organisation and apply to every inbox (SPEC §3.2). */
export const startConfigSchema = z.strictObject({
  trigger: z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('keyword'),
      keywords: z
        .array(keyword)
        .min(1, 'add at least one keyword')
        .max(50)
        .superRefine(distinctIgnoringCase('keyword'))
        .meta({ description: 'Starts when a whole message equals one of these, ignoring case.' }),
    }),
    z.strictObject({ type: z.literal('default') }).meta({ description: 'Any message from a contact with no active run.' }),
    z.strictObject({ type: z.literal('broadcast') }).meta({ description: 'Only started by a broadcast.' }),
  ]),
});

export type StartConfig = z.output<typeof startConfigSchema>;
