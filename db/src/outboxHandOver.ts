import { asc, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from './database';
import { bind, prepared } from './preparedQuery';
import type { outbox } from './runtimeSchema';
import { lockForUpdate, writeTransaction } from './writeTransaction';

export type OutboxRow = typeof outbox.$inferSelect;

/**
 * Hands the oldest outbox rows (at most `batch`) to `handOver` and then deletes them; answers how
 * many there were. `handOver` adds their jobs to Redis under ids derived from the rows, so a repeat
 * is harmless; it throws when Redis refuses, and the rows stay. A job carries all its row held, so
 * nothing reads a row once it is handed over: kept, the rows grew the database by one per message
 * for ever. (Ids are never reused: AUTOINCREMENT, an identity column.)
 *
 * PostgreSQL, several processes on several hosts: one flush at a time holds a transaction-scoped
 * lock while it reads, hands over and deletes, so each committed row is handed over once and in id
 * order (a contact's messages are registered in order). The transaction owns its pooled connection,
 * so waiting on Redis inside it delays no one else's statements; if the process dies, it rolls
 * back and the rows are handed over again by the next flush.
 * SQLite: no transaction around the hand-over (the one connection is shared by every request);
 * flushes of one process take turns, and a repeat by another process sharing the file (after a
 * crash, or at the same moment) is absorbed by the job ids.
 */
export async function handOverOutbox(db: Database, batch: number, handOver: (rows: OutboxRow[]) => Promise<void>): Promise<number> {
  if (db.backend === 'postgres') {
    return writeTransaction(db, async (tx) => {
      await lockForUpdate(tx, 'outbox', 'flush');
      return handOverBatch(tx, batch, handOver);
    });
  }
  const client = db.$client as object;
  const previous = sqliteTurns.get(client) ?? Promise.resolve();
  const turn = previous.then(() => handOverBatch(db, batch, handOver));
  const settled = turn.then(
    () => undefined,
    () => undefined,
  );
  sqliteTurns.set(client, settled);
  void settled.then(() => {
    if (sqliteTurns.get(client) === settled) sqliteTurns.delete(client);
  });
  return turn;
}

// The flush in progress on each SQLite connection, which the next one waits for.
const sqliteTurns = new WeakMap<object, Promise<void>>();

async function handOverBatch(db: Database, batch: number, handOver: (rows: OutboxRow[]) => Promise<void>): Promise<number> {
  // Prepared: under a steady trickle of steps a flush runs every few milliseconds.
  const rows = (await prepared(db, 'outboxToHandOver', (d, t) =>
    d.select().from(t.outbox).where(isNull(t.outbox.queuedAt)).orderBy(asc(t.outbox.id)).limit(sql.placeholder('limit')),
  ).all({ limit: batch })) as OutboxRow[];
  if (rows.length === 0) return 0;
  await handOver(rows);
  await forgetHandedOver(db, rows);
  return rows.length;
}

/**
 * Deletes the handed-over rows. SQLite: one prepared statement taking the ids as a JSON array
 * (a flush runs for every few steps; building and compiling an `in (…)` of its own length each time
 * cost more than the rest of the flush).
 */
async function forgetHandedOver(db: Database, rows: OutboxRow[]): Promise<void> {
  const { outbox } = db.tables;
  const ids = rows.map((r) => r.id);
  if (db.backend === 'postgres') {
    await db.delete(outbox).where(inArray(outbox.id, ids));
    return;
  }
  await prepared(db, 'outboxForgetHandedOver', (d, t) => d.delete(t.outbox).where(sql`${t.outbox.id} in (select value from json_each(${bind('ids')}))`)).run({ ids: JSON.stringify(ids) });
}
