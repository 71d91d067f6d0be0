import type { Truncation } from './adapterTypes';

/**
 * Cuts `value` to `limit` characters (code points, so no emoji is split), ending with an ellipsis,
 * and notes the cut so the caller can log it. Platforms refuse over-long fields outright.
 */
export function fit(value: string, limit: number, field: string, truncations: Truncation[]): string {
  const chars = Array.from(value);
  if (chars.length <= limit) return value;
  truncations.push({ field, limit, length: chars.length });
  return chars.slice(0, Math.max(0, limit - 1)).join('') + '…';
}
