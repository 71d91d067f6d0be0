import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, walSizeLimitBytes } from './openDatabase';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the database file', () => {
  it('is readable by its owner alone, with its write-ahead log', () => {
    dir = mkdtempSync(join(tmpdir(), 'couponflow-db-'));
    const path = join(dir, 'nested', 'couponflow.db');
    const { db, close } = openDatabase({ url: `file:${path}` });
    db.$client.prepare('select 1').get();
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect((statSync(file).mode & 0o777).toString(8), file).toBe('600');
    close();
  });

  it('gives back the disk space of a burst: the write-ahead log is cut back when it starts over', () => {
    dir = mkdtempSync(join(tmpdir(), 'couponflow-db-'));
    const path = join(dir, 'couponflow.db');
    const { db, close } = openDatabase({ url: `file:${path}`, migrate: false });
    const client = db.$client;
    client.exec('create table burst (payload blob)');
    const insert = client.prepare('insert into burst values (randomblob(4000))');
    // A burst of writes past the limit, nothing checkpointed meanwhile (as under a steady load).
    client.pragma('wal_autocheckpoint = 0');
    client.transaction(() => {
      for (let i = 0; i < (walSizeLimitBytes / 4000) * 1.25; i++) insert.run();
    })();
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(walSizeLimitBytes);
    // The load pauses: a checkpoint catches up, and the next write starts the log over.
    client.pragma('wal_checkpoint(PASSIVE)');
    insert.run();
    expect(statSync(`${path}-wal`).size).toBeLessThanOrEqual(walSizeLimitBytes);
    close();
  });
});
