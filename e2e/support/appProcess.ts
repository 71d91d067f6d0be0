import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freshAppEnv, repoRoot } from './npmStart';

export interface AppProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** everything it logged so far */
  output(): string;
  /** resident memory of the process now, MB (from /proc) */
  rssMb(): number;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Couponflow's `server/src/main.ts` as one node process (no npm or tsx wrapper in between), so a
 * test can measure its memory, signal it and watch it exit.
 */
export async function startAppProcess(dataDir: string, port: number, env: NodeJS.ProcessEnv): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: repoRoot,
    env: freshAppEnv(dataDir, port, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const app: AppProcess = {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    child,
    output: () => output,
    rssMb: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    exited,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  };
  // The workers start before the HTTP server listens: a server process is up once it says it runs.
  const ready = env.ROLE === 'worker' ? 'Couponflow worker is running' : 'Couponflow is running';
  for (let i = 0; i < 600; i++) {
    if (output.includes(ready)) return app;
    if (child.exitCode !== null) throw new Error(`the app exited early:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the app did not come up:\n${output}`);
}
