import { integer, text } from 'drizzle-orm/sqlite-core';

// Timestamps are integer milliseconds surfaced as Date; JSON columns carry nested settings.
export const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
export const json = <T>(name: string) => text(name, { mode: 'json' }).$type<T>();
