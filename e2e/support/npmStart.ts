import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export { freePort } from '../../flow-runtime/src/testing/throwawayRedis';
export const repoRoot = resolve(import.meta.dirname, '../..');

/**
 * The environment of a fresh machine: its own data dir and port, no admin key or database URL
 * inherited from the developer's shell (a test may set them in `extra`).
 */
export function freshAppEnv(dataDir: string, port: number, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn' };
  delete env.ADMIN_API_KEY;
  delete env.DATABASE_URL;
  return { ...env, ...extra };
}

export interface RunningApp {
  /** everything it printed so far */
  output(): string;
  stop(): Promise<void>;
}

/** `npm start` as a user runs it, in its own process group so stopping it stops what it launched. */
export async function npmStart(env: NodeJS.ProcessEnv): Promise<RunningApp> {
  const app = spawn('npm', ['start'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  app.stdout.on('data', (chunk) => (output += chunk));
  app.stderr.on('data', (chunk) => (output += chunk));
  const running: RunningApp = {
    output: () => output,
    stop: async () => {
      if (app.exitCode !== null) return;
      const exited = new Promise((done) => app.once('exit', done));
      process.kill(-app.pid!, 'SIGTERM');
      await exited;
    },
  };
  // Two minutes: a first start on a busy machine also builds the web app.
  for (let i = 0; i < 1200; i++) {
    if (output.includes('Couponflow is running')) return running;
    if (app.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await running.stop();
  throw new Error(`npm start did not come up:\n${output}`);
}
