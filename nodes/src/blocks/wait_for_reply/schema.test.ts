import { describe, expect, it } from 'vitest';
import { waitForReplyConfigSchema } from './schema';

const ok = (data: unknown) => waitForReplyConfigSchema.safeParse(data).success;

describe('wait_for_reply config', () => {
  it('accepts the spec example and a wait without timeout', () => {
    expect(ok({ variable: 'answer', timeoutSeconds: 3600 })).toBe(true);
    expect(ok({ variable: '_first_answer2' })).toBe(true);
  });

  it('refuses variable names a template could not name', () => {
    expect(ok({ variable: '' })).toBe(false);
    expect(ok({ variable: '2nd' })).toBe(false);
    expect(ok({ variable: 'my answer' })).toBe(false);
    expect(ok({ variable: 'a'.repeat(51) })).toBe(false);
    expect(ok({ variable: 'a'.repeat(50) })).toBe(true);
  });

  it('keeps the timeout between one second and thirty days, in whole seconds', () => {
    expect(ok({ variable: 'a', timeoutSeconds: 0 })).toBe(false);
    expect(ok({ variable: 'a', timeoutSeconds: 1.5 })).toBe(false);
    expect(ok({ variable: 'a', timeoutSeconds: 30 * 86_400 })).toBe(true);
    expect(ok({ variable: 'a', timeoutSeconds: 30 * 86_400 + 1 })).toBe(false);
  });
});
