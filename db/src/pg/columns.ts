import { jsonb, timestamp as pgTimestamp } from 'drizzle-orm/pg-core';

// The SQLite columns' meaning in PostgreSQL's own types: instants to the millisecond surfaced as
// Date, JSON as jsonb.
export const timestamp = (name: string) => pgTimestamp(name, { withTimezone: true, precision: 3, mode: 'date' });
export const json = <T>(name: string) => jsonb(name).$type<T>();
