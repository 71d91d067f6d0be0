import { z } from 'zod';

export const endConfigSchema = z.strictObject({});

export type EndConfig = z.output<typeof endConfigSchema>;
