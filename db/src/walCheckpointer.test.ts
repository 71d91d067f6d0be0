import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './openDatabase';

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

  it('is not started unless asked for: commits checkpoint as before', () => {
    dir = mkdtempSync(join(tmpdir(), 'couponflow-wal-'));
    const { db, close } = openDatabase({ url: `file:${join(dir, 'couponflow.db')}` });
    expect(db.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    close();
  });
});
