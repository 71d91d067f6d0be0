import { describe, expect, it } from 'vitest';
import { classifyLineError, isInvalidReplyToken } from './classifyLineError';
import { retryKeyFor } from './lineAdapter';

describe('LINE errors', () => {
  it('a rate-limit 429 is retried after Retry-After; a monthly-quota 429 is not', () => {
    expect(classifyLineError(429, '{"message":"Too many requests"}', '3')).toMatchObject({ permanent: false, retryAfterMs: 3000 });
    expect(classifyLineError(429, '{"message":"You have reached your monthly limit."}', null)).toMatchObject({ permanent: true });
    expect(classifyLineError(500, '{"message":"oops"}', null)).toMatchObject({ permanent: false });
    expect(classifyLineError(400, '{"message":"Failed to send messages"}', null)).toMatchObject({ permanent: true });
  });

  it('an invalid reply token is recognised (the adapter pushes instead), and retry keys are stable UUIDs', () => {
    expect(isInvalidReplyToken(400, '{"message":"Invalid reply token"}')).toBe(true);
    expect(retryKeyFor('o.42')).toBe(retryKeyFor('o.42'));
    expect(retryKeyFor('o.42')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
