import { createHash } from 'node:crypto';
import { openDatabase, type Database } from '@couponflow/db';
import type { Runtime } from '@couponflow/flow-runtime';

/**
 * Columns that record when something was looked at rather than what the data is (a key's last use).
 * Absent columns are simply not there to skip.
 */
const bookkeeping: Record<string, string[]> = { api_keys: ['last_used_at'] };
/** SPEC §2.4: the audit trail keeps every attempt, refused ones included: it may grow, never change. */
const auditTrail = 'redemption_events';

export interface StoredData {
  /** every row of every table but the audit trail */
  data: string;
  /** the audit trail so far */
  audit: string;
  auditMaxId: number;
}

/**
 * Watches a server's SQLite file from a second connection: `committed()` is SQLite's own word that
 * another connection committed something (PRAGMA data_version); `snapshot()` hashes every row of
 * every table; `unchangedSince()` says whether a refused request left everything as it was but
 * for the audit trail's new line about it.
 */
export function databaseWatcher(serverDb: Database) {
  const { db, close } = openDatabase({ url: `file:${serverDb.$client.name}`, migrate: false });
  const client = db.$client;
  const tables = () =>
    client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name").pluck().all() as string[];
  const columnsOf = (table: string) =>
    (client.pragma(`table_info("${table}")`) as Array<{ name: string }>)
      .map((c) => `"${c.name}"`)
      .filter((c) => !bookkeeping[table]?.includes(c.slice(1, -1)))
      .join(', ');
  const hashRows = (hash: ReturnType<typeof createHash>, sql: string, ...params: unknown[]) => {
    for (const row of client.prepare(sql).raw().iterate(...params)) hash.update(JSON.stringify(row, bytesAsHex));
  };
  const auditUpTo = (maxId: number) => {
    const hash = createHash('sha256');
    hashRows(hash, `SELECT ${columnsOf(auditTrail)} FROM ${auditTrail} WHERE id <= ? ORDER BY id`, maxId);
    return hash.digest('hex');
  };
  let version = client.pragma('data_version', { simple: true });

  return {
    snapshot(): StoredData {
      const hash = createHash('sha256');
      for (const table of tables().filter((t) => t !== auditTrail)) {
        hash.update(`\n#${table}\n`);
        hashRows(hash, `SELECT ${columnsOf(table)} FROM "${table}"`);
      }
      const auditMaxId = (client.prepare(`SELECT coalesce(max(id), 0) FROM ${auditTrail}`).pluck().get() as number) ?? 0;
      return { data: hash.digest('hex'), audit: auditUpTo(auditMaxId), auditMaxId };
    },
    /** Nothing but new audit lines since `before`. */
    unchangedSince(before: StoredData): boolean {
      const now = this.snapshot();
      return now.data === before.data && auditUpTo(before.auditMaxId) === before.audit;
    },
    /** true once per commit by another connection since the last call */
    committed(): boolean {
      const now = client.pragma('data_version', { simple: true });
      const changed = now !== version;
      version = now;
      return changed;
    },
    close,
  };
}

function bytesAsHex(_key: string, value: unknown) {
  return value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer' ? Buffer.from((value as { data: number[] }).data).toString('hex') : value;
}

/** What the runtime's queues hold: every job's id, name, data and attempts, each queue's counts, pause and concurrency. */
export async function queueSnapshot(runtime: Runtime): Promise<string> {
  const { contactShards, outbound, broadcasts } = runtime.queues;
  const queues = await Promise.all(
    [...contactShards, outbound, broadcasts].map(async (queue) => ({
      name: queue.name,
      paused: await queue.isPaused(),
      concurrency: await queue.getGlobalConcurrency(),
      counts: await queue.getJobCounts(),
      jobs: (await queue.getJobs(undefined, 0, 200)).map((job) => ({ id: job.id, name: job.name, data: job.data, attempts: job.attemptsMade })),
    })),
  );
  return JSON.stringify(queues);
}
