import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './openDatabase';
import { checkpointInBackground, walSizeLimitBytes } from './walCheckpointer';
import { writeTransaction } from './writeTransaction';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const waitUntil = async (done: () => boolean) => {
  while (!done()) await new Promise((r) => setTimeout(r, 20));
};

describe('WAL checkpoints in a thread of their own', () => {
  it('commits no longer checkpoint, yet what they write reaches the database file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'couponflow-wal-'));
    const path = join(dir, 'couponflow.db');
    const { db, close } = openDatabase({ url: `file:${path}`, checkpointInBackground: true });
    const client = db.$client;
    expect(client.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    client.exec('create table notes (id integer primary key, body text)');
    const fileBefore = statSync(path).size;
    const insert = client.prepare('insert into notes (body) values (?)');
    // About 4 MB in the write-ahead log, 20 commits of 50 rows.
    for (let commit = 0; commit < 20; commit++) client.transaction(() => Array.from({ length: 50 }, () => insert.run('x'.repeat(4000))))();

    // Only a checkpoint copies pages from the log into the file: the thread's.
    await waitUntil(() => statSync(path).size > fileBefore + 3_000_000);
    expect(client.prepare('select count(*) as n from notes').get()).toEqual({ n: 1000 });
    close();
  });

  it('under a steady load, starts the log over once it has grown past its bound, losing nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'couponflow-wal-'));
    const path = join(dir, 'couponflow.db');
    const { db, close } = openDatabase({ url: `file:${path}`, migrate: false });
    const client = db.$client;
    client.exec('create table notes (id integer primary key, body text)');
    // A bound of 1,000 frames (4 MB) instead of 256 MB, checked every 10 ms.
    const stop = checkpointInBackground(client, path, { intervalMs: 10, restartAbove: 1_000 });
    const insert = client.prepare('insert into notes (body) values (?)');
    // Each start of the log over draws new salts for its header.
    const salt = () => {
      const fd = openSync(`${path}-wal`, 'r');
      const header = Buffer.alloc(32);
      readSync(fd, header, 0, 32, 0);
      closeSync(fd);
      return header.readUInt32BE(16);
    };
    const salts = new Set<number>();
    let written = 0;
    // Write transactions back to back, 8 in flight (a steady load), until the log has started over
    // three times; 150 MB written without that is a failure.
    while (salts.size < 4 && written < 150_000_000) {
      await Promise.all(Array.from({ length: 8 }, () => writeTransaction(db, async () => void Array.from({ length: 10 }, () => insert.run('x'.repeat(4000))))));
      written += 8 * 10 * 4000;
      salts.add(salt());
    }
    stop();
    // How far the log grows before each start over depends on how busy the machine is, so only the
    // starts themselves are checked.
    expect(salts.size).toBe(4);
    expect(client.prepare('select count(*) as n from notes').get()).toEqual({ n: written / 4000 });
    close();
  });

  it('cuts the log file back once commits pause, and a commit never does it itself', async () => {
    dir = mkdtempSync(join(tmpdir(), 'couponflow-wal-'));
    const path = join(dir, 'couponflow.db');
    const { db, close } = openDatabase({ url: `file:${path}`, migrate: false });
    const client = db.$client;
    client.exec('create table burst (payload blob)');
    const insert = client.prepare('insert into burst values (randomblob(4000))');
    const burst = () => client.transaction(() => {
      for (let i = 0; i < (walSizeLimitBytes / 4000) * 1.25; i++) insert.run();
    })();
    const walBytes = () => statSync(`${path}-wal`).size;

    // A thread that never finds the writes paused: a commit starting the log over leaves the file as it is.
    let stop = checkpointInBackground(client, path, { intervalMs: 10, quietPasses: Number.MAX_SAFE_INTEGER });
    burst();
    const copied = () => {
      const [{ log, checkpointed }] = client.pragma('wal_checkpoint(PASSIVE)') as [{ log: number; checkpointed: number }];
      return log === checkpointed;
    };
    await waitUntil(copied);
    insert.run();
    expect(walBytes()).toBeGreaterThan(walSizeLimitBytes);
    stop();

    // The thread cuts it back once three of its passes saw no commit.
    stop = checkpointInBackground(client, path, { intervalMs: 10, quietPasses: 3 });
    burst();
    await waitUntil(() => walBytes() === 0);
    insert.run();
    expect(client.prepare('select count(*) as n from burst').get()).toEqual({ n: 2 * Math.ceil((walSizeLimitBytes / 4000) * 1.25) + 2 });
    stop();
    close();
  });

  it('is not started unless asked for: commits checkpoint as before', () => {
    dir = mkdtempSync(join(tmpdir(), 'couponflow-wal-'));
    const { db, close } = openDatabase({ url: `file:${join(dir, 'couponflow.db')}` });
    expect(db.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    close();
  });
});
