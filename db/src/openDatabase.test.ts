import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './openDatabase';

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
});
