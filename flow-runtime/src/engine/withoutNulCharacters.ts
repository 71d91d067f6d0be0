/**
 * A NUL character cannot be stored in PostgreSQL text or jsonb, so an inbound message carrying one
 * (in its text, the contact's name or the platform's data) would fail its step on every retry.
 * No platform sends NUL as meaningful text: it is dropped at the door, on every backend alike.
 */
export function withoutNulCharacters<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\u0000') ? value.replaceAll('\u0000', '') : value) as T;
  if (Array.isArray(value)) return value.map(withoutNulCharacters) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [withoutNulCharacters(key), withoutNulCharacters(item)])) as T;
  }
  return value;
}
