/**
 * A NUL character cannot be stored in PostgreSQL text or jsonb, so an inbound message carrying one
 * (in its text, the contact's name or the platform's data) would fail its step on every retry.
 * No platform sends NUL as meaningful text: it is dropped at the door, on every backend alike.
 * A value without one (nearly every message) is given back as it is, not copied.
 */
export function withoutNulCharacters<T>(value: T): T {
  return hasNul(value) ? stripped(value) : value;
}

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) if (key.includes('\u0000') || hasNul((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

function stripped<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\u0000') ? value.replaceAll('\u0000', '') : value) as T;
  if (Array.isArray(value)) return value.map(stripped) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [stripped(key), stripped(item)])) as T;
  }
  return value;
}
