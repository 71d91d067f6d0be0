import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startThrowawayRedis } from '../../flow-runtime/src/testing/throwawayRedis';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Builds the web app as `npm start` does (only when its sources changed). */
export function buildEditor(): void {
  const result = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(repoRoot, 'flow-editor/scripts/buildIfStale.ts')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the web app failed');
}

export interface BenchApp {
  url: string;
  adminKey: string;
  stop(): void;
}

/** The real server (server/src/main.ts) on a free port, a temp data dir and a throwaway Redis. */
export async function startApp(): Promise<BenchApp> {
  buildEditor();
  const redis = await startThrowawayRedis();
  const dataDir = mkdtempSync(join(tmpdir(), 'couponflow-bench-app-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, PUBLIC_URL: url, REDIS_URL: redis.url, LOG_LEVEL: 'warn' };
  delete env.ADMIN_API_KEY;
  delete env.DATABASE_URL;
  const app = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(repoRoot, 'server/src/main.ts')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  app.stdout.on('data', (chunk) => (output += chunk));
  const stop = () => {
    app.kill('SIGTERM');
    redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (let i = 0; i < 600 && !output.includes('Couponflow is running'); i++) {
    if (app.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!output.includes('Couponflow is running')) {
    stop();
    throw new Error(`the server did not start:\n${output}`);
  }
  return { url, adminKey: readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim(), stop };
}

export async function post<T>(app: BenchApp, path: string, key: string, body: unknown, method = 'POST'): Promise<T> {
  const res = await fetch(`${app.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
