import { z } from 'zod';
import { variableName } from '../configFields';

const thirtyDays = 30 * 24 * 60 * 60;

export const waitForReplyConfigSchema = z.strictObject({
  variable: variableName.meta({ description: 'The reply is stored in {{vars.<variable>}}.' }),
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(thirtyDays)
    .optional()
    .meta({ description: 'Leave by `timeout` when no reply came in time; without it the run waits indefinitely.' }),
});

export type WaitForReplyConfig = z.output<typeof waitForReplyConfigSchema>;
