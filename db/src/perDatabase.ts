import type { Database } from './database';

const stores = new WeakMap<object, Map<string, unknown>>();

/**
 * A value kept per database (the SQLite connection, the PostgreSQL pool) and shared by every
 * transaction on it, made on first use: for caches that must neither outlive their database nor
 * mix two databases open in one process (tests open many).
 */
export function perDatabase<T>(db: Database, key: string, make: () => T): T {
  const owner = ((db as { root?: Database }).root ?? db).$client as object;
  let store = stores.get(owner);
  if (!store) stores.set(owner, (store = new Map()));
  let value = store.get(key) as T | undefined;
  if (value === undefined) store.set(key, (value = make()));
  return value;
}
