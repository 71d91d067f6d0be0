import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

const betterSqlite3Module = createRequire(import.meta.url).resolve('better-sqlite3');

/** What commits would do themselves without the thread (see applySqlitePragmas). */
export const autocheckpointPages = 10_000;

/** What the write-ahead log file is cut back to when it starts over (without the thread; see applySqlitePragmas). */
export const walSizeLimitBytes = 64 * 1024 * 1024;

/**
 * With the thread, the log file is cut back (to nothing) only once no commit has come for this many
 * passes. A writer that starts the log over would cut it back itself, inside its commit: right
 * after a burst, with the file system still writing the checkpoint out, that held every write of
 * the process up for ~250 ms here (measured on the webhook bench, at each pause of the load).
 */
const quietPassesBeforeTruncate = 10;

/**
 * Past this many frames the log is started over (see the thread's program). 256 Ki frames of 4 KiB:
 * 1 GiB, some 12 s of the heaviest load this machine writes (a 100,000-contact broadcast stays under
 * it). Starting over holds every write of the process up for the last copy and its fsync: short now
 * that the thread syncs the file once a second, but a bound of 16 Ki frames measured no faster (frames
 * overwriting an old log are cheaper, the extra start-overs cost as much), so it is kept for what it
 * is for: a log that would otherwise fill the disk.
 */
export const restartAboveFrames = 262_144;
// How long a restart may wait for the write lock and for readers of the old log before it gives up until the next pass.
const restartWaitMs = 50;
// The thread syncs the database file at most this often (see threadProgram): once a second kept a
// restart's own sync short, with no cost to the commits measured.
const syncEveryMs = 1000;

// The thread's whole program: its own connection to the file, a PASSIVE checkpoint (it never waits
// for readers or writers) every interval, and a last one when told to stop. A checkpoint that
// finds another under way (another process's) is simply skipped.
// Under a steady write load the log only starts over once a checkpoint has caught up with it, which
// a PASSIVE one never does while commits keep coming: the file would grow by ~80 MB/s. Once it holds
// more than `restartAboveFrames`, the thread raises `restart[0]` (this process's group commit then
// leaves the write lock free between its commits), takes the lock for a RESTART checkpoint of the
// little the PASSIVE one left, and lowers the flag: the next commit starts the log over.
// Once the log is all copied and no commit has come for a while, a file grown past its limit is cut
// back by a TRUNCATE checkpoint (the same flag up meanwhile).
// SQLite syncs the database file only after a checkpoint that copied the whole log, which a PASSIVE
// one under load never does: every page copied since then waited for the sync inside the next
// RESTART, with the write lock held (~0.5 s of cycles lost at each start-over at full load, 234 ms
// of it one fsync). So the thread syncs the file itself, off the lock, after a pass that copied
// anything (once a second at most): the RESTART then syncs only the last second's copies, and the
// loss went down to noise. It syncs through a descriptor SQLite already has open on the file:
// closing one of its own would drop every POSIX lock this process holds on it.
const threadProgram = `
const { statSync, readdirSync, readlinkSync, realpathSync, fsyncSync } = require('node:fs');
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { timeout: 0 });
db.pragma('wal_autocheckpoint = 0');
const databaseFile = realpathSync(workerData.path);
// Without /proc (not Linux) it does nothing: the RESTART then syncs it all, as it did before.
const syncDatabaseFile = () => {
  let fds;
  try { fds = readdirSync('/proc/self/fd'); } catch { return; }
  for (const fd of fds) {
    let target;
    try { target = readlinkSync('/proc/self/fd/' + fd); } catch { continue; }
    if (target === databaseFile) return fsyncSync(Number(fd));
  }
};
const restart = new Int32Array(workerData.restart);
const startOver = (mode, waitMs) => {
  Atomics.store(restart, 0, 1);
  try {
    db.pragma('busy_timeout = ' + waitMs);
    db.pragma('wal_checkpoint(' + mode + ')');
  } finally {
    db.pragma('busy_timeout = 0');
    Atomics.store(restart, 0, 0);
  }
};
const logBytes = () => {
  try { return statSync(workerData.path + '-wal').size; } catch { return 0; }
};
let previousLog = -1;
let previousCheckpointed = -1;
let lastSync = performance.now();
let quietPasses = 0;
const pass = () => {
  try {
    const [{ busy, log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
    if (checkpointed > 0 && checkpointed !== previousCheckpointed && performance.now() - lastSync >= workerData.syncEveryMs) {
      syncDatabaseFile();
      lastSync = performance.now();
    }
    previousCheckpointed = checkpointed;
    if (log > workerData.restartAboveFrames) return startOver('RESTART', workerData.restartWaitMs);
    // A pass that found another checkpoint under way (another process's) answers -1 for both: no sign of quiet.
    quietPasses = busy === 0 && log >= 0 && log === checkpointed && log === previousLog ? quietPasses + 1 : 0;
    previousLog = log;
    if (quietPasses < workerData.quietPasses || logBytes() <= workerData.walSizeLimitBytes) return;
    // One try, without waiting, per quiet spell: while readers are at work (a long export reading
    // page after page), each try that waited for them made every new read wait too.
    quietPasses = 0;
    startOver('TRUNCATE', 0);
  } catch {}
};
const timer = setInterval(pass, workerData.intervalMs);
parentPort.once('message', () => { clearInterval(timer); pass(); db.close(); parentPort.close(); });
`;

const restartFlags = new WeakMap<BetterSqlite3.Database, Int32Array>();

/**
 * Whether this connection's checkpoint thread is waiting for the write lock to start the log over:
 * the connection's writer then leaves the lock free between commits (see SqliteGroupCommit).
 */
export function checkpointWantsWriteLock(client: BetterSqlite3.Database): boolean {
  const flag = restartFlags.get(client);
  return flag !== undefined && Atomics.load(flag, 0) === 1;
}

/**
 * Moves the WAL checkpoints of the SQLite file at `path` off the event loop: `client`'s commits stop
 * checkpointing (a checkpoint copies up to thousands of pages and fsyncs, and a commit that crosses
 * the threshold held up every request of the process for ~100 ms), and a thread of this process
 * checkpoints every `intervalMs` instead, starting the log over when it has grown past
 * `restartAbove` frames, and cutting its file back once `quietPasses` passes saw no commit. Should
 * the thread fail, commits checkpoint (and cut the file back) again as before. Returns what stops
 * the thread.
 */
export function checkpointInBackground(
  client: BetterSqlite3.Database,
  path: string,
  { intervalMs = 100, restartAbove = restartAboveFrames, quietPasses = quietPassesBeforeTruncate } = {},
): () => void {
  const restart = new SharedArrayBuffer(4);
  const workerData = { module: betterSqlite3Module, path, intervalMs, restart, restartAboveFrames: restartAbove, restartWaitMs, quietPasses, walSizeLimitBytes, syncEveryMs };
  const thread = new Worker(threadProgram, { eval: true, workerData });
  thread.unref();
  restartFlags.set(client, new Int32Array(restart));
  client.pragma('wal_autocheckpoint = 0');
  // The thread cuts the file back, once commits pause (see quietPassesBeforeTruncate).
  client.pragma('journal_size_limit = -1');
  thread.once('error', () => {
    restartFlags.delete(client);
    if (!client.open) return;
    client.pragma(`wal_autocheckpoint = ${autocheckpointPages}`);
    client.pragma(`journal_size_limit = ${walSizeLimitBytes}`);
  });
  return () => thread.postMessage('stop');
}
