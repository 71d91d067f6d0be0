/**
 * `npm start` runs this first: builds the web app into dist/ when dist/ is missing or older than
 * anything it is built from (its sources and the block definitions in nodes/). Several starts at
 * once (tests) take turns through a lock directory, so they never write dist/ together.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist', 'index.html');
const lock = join(root, '.build-lock');
const sources = [join(root, 'src'), join(root, 'public'), join(root, 'index.html'), join(root, 'vite.config.ts'), join(root, 'package.json'), join(root, '..', 'nodes', 'src')];
const staleLockMs = 5 * 60_000;

function newestMtime(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function builtAt(): number {
  try {
    return statSync(dist).mtimeMs;
  } catch {
    return 0;
  }
}

const stale = () => builtAt() < Math.max(...sources.map(newestMtime));

async function takeLock(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > staleLockMs) rmSync(lock, { recursive: true, force: true });
      await sleep(200);
    }
  }
}

if (stale()) {
  await takeLock();
  try {
    if (stale()) {
      console.log('Building the web app (flow-editor/dist)…');
      const vite = join(dirname(createRequire(join(root, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
      const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
        cwd: root,
        stdio: 'inherit',
        // A test runner's NODE_ENV=test would give a development build of React.
        env: { ...process.env, NODE_ENV: 'production' },
      });
      if (result.status !== 0) process.exit(result.status ?? 1);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
