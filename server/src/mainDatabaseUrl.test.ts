import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dirs: string[] = [];
/** Port 1 is privileged and unused here: nothing answers on it. */
const unusedPort = 1;
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** `npm start` with this DATABASE_URL; it must stop before touching any database or Redis. */
function startWith(databaseUrl: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'couponflow-dburl-'));
  dirs.push(dataDir);
  const { PATH, HOME } = process.env;
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: repo,
    env: { PATH, HOME, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, PORT: '0', REDIS_URL: 'redis://127.0.0.1:1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stderr: run.stderr, dataDirFiles: readdirSync(dataDir) };
}

describe('npm start with a DATABASE_URL it cannot serve', () => {
  it('stops with the reason when the PostgreSQL it names does not answer, and never falls back to SQLite', () => {
    const run = startWith(`postgres://app:secret@127.0.0.1:${unusedPort}/couponflow`);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Couponflow could not start: .*ECONNREFUSED/);
    expect(run.stderr).not.toContain('secret');
    expect(run.dataDirFiles).toEqual([]);
    // Before issue 11, the URL became a relative SQLite path beginning `postgres:`.
    expect(existsSync(join(repo, 'postgres:'))).toBe(false);
  });

  it('stops naming the accepted forms for any other scheme', () => {
    const run = startWith('mysql://app:secret@127.0.0.1/couponflow');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Couponflow could not start: DATABASE_URL must be file:<path> .* or postgres:\/\//);
    expect(run.stderr).not.toContain('secret');
    expect(existsSync(join(repo, 'mysql:'))).toBe(false);
  });
});
