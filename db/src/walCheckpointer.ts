import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

const betterSqlite3Module = createRequire(import.meta.url).resolve('better-sqlite3');

/** What commits would do themselves without the thread (see applySqlitePragmas). */
export const autocheckpointPages = 10_000;

// The thread's whole program: its own connection to the file, a PASSIVE checkpoint (it never waits
// for readers or writers) every interval, and a last one when told to stop. A checkpoint that
// finds another under way (another process's) is simply skipped.
const threadProgram = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { timeout: 0 });
db.pragma('wal_autocheckpoint = 0');
const pass = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(pass, workerData.intervalMs);
parentPort.once('message', () => { clearInterval(timer); pass(); db.close(); parentPort.close(); });
`;

/**
 * Moves the WAL checkpoints of the SQLite file at `path` off the event loop: `client`'s commits stop
 * checkpointing (a checkpoint copies up to thousands of pages and fsyncs, and a commit that crosses
 * the threshold held up every request of the process for ~100 ms), and a thread of this process
 * checkpoints every `intervalMs` instead. Should the thread fail, commits checkpoint again as before.
 * Returns what stops the thread.
 */
export function checkpointInBackground(client: BetterSqlite3.Database, path: string, { intervalMs = 100 } = {}): () => void {
  const thread = new Worker(threadProgram, { eval: true, workerData: { module: betterSqlite3Module, path, intervalMs } });
  thread.unref();
  client.pragma('wal_autocheckpoint = 0');
  thread.once('error', () => {
    if (client.open) client.pragma(`wal_autocheckpoint = ${autocheckpointPages}`);
  });
  return () => thread.postMessage('stop');
}
