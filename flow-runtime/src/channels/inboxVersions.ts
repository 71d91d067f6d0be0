import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A version key outlives no inbox for long: once gone, readers just look at the row again. */
const keepVersionSeconds = 7 * 24 * 3600;

/**
 * One Redis key per inbox whose value changes whenever the inbox does (edited or deleted through
 * the API, in any process on any host). A process may keep what it built from the inbox's row
 * while the value it read is still the value there: a GET is far cheaper than the row, which on
 * SQLite is read from pages the busy writer has just invalidated.
 *
 * Each change writes a fresh random value, never a counter: a key lost with its Redis (restart,
 * eviction, expiry) reads as null, and no later change can ever bring back a value a reader
 * remembers.
 */
export function inboxVersions(connection: Redis, prefix: string) {
  const key = (inboxId: string) => `${prefix}:inbox-version:${inboxId}`;
  return {
    /** The inbox's current version (null: none written, or lost); throws when Redis does not answer. */
    current: (inboxId: string): Promise<string | null> => connection.get(key(inboxId)),
    /** Call after the change committed: from the moment this resolves, no reader uses what it built before. */
    changed: async (inboxId: string): Promise<void> => {
      await connection.set(key(inboxId), randomUUID(), 'EX', keepVersionSeconds);
    },
  };
}

export type InboxVersions = ReturnType<typeof inboxVersions>;
