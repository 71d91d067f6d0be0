import { describe, expect, it } from 'vitest';
import { endConfigSchema } from './schema';

describe('end config', () => {
  it('is empty, and says so when given something', () => {
    expect(endConfigSchema.safeParse({}).success).toBe(true);
    expect(endConfigSchema.safeParse({ message: 'bye' }).success).toBe(false);
  });
});
