import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { httpChildren } from '../../server/src/testing/httpChildren';
import { processCpuSeconds, vmHwmMb } from './benchKit';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface AppProcess {
  url: string;
  pid: number;
  /** peak RSS so far (VmHWM), MB: read it before stopping */
  peakRssMb(): number;
  /** CPU time it and its HTTP processes have used so far, seconds */
  cpuSeconds(): number;
  /** the same, apart: the first process (workers, when ROLE=all) and each forked HTTP process */
  cpuSecondsApart(): { primary: number; http: number[] };
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `server/src/main.ts` as its own node process, as `npm start` runs it (ROLE=all, server or worker),
 * on the given database and Redis. Answers once it says it is running.
 */
export async function startAppProcess(env: { DATABASE_URL: string; REDIS_URL: string; SECRET_KEY: string; DATA_DIR: string; ROLE: 'all' | 'server' | 'worker'; HTTP_PROCESSES?: string }): Promise<AppProcess> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn' };
  delete childEnv.ADMIN_API_KEY;
  // BENCH_CPU_PROF profiles the app processes too: they are where a request's time goes.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}/app-${env.ROLE}-${port}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', 'server/src/main.ts'], { cwd: repoRoot, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise((done) => child.once('exit', done));
  const ready = env.ROLE === 'worker' ? 'Couponflow worker is running' : 'Couponflow is running';
  for (let i = 0; !output.includes(ready); i++) {
    if (child.exitCode !== null || i > 1200) {
      child.kill('SIGKILL');
      throw new Error(`the app did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    peakRssMb: () => [child.pid!, ...httpChildren(child.pid!)].reduce((sum, pid) => sum + vmHwmMb(pid), 0),
    cpuSeconds: () => [child.pid!, ...httpChildren(child.pid!)].reduce((sum, pid) => sum + processCpuSeconds(pid), 0),
    cpuSecondsApart: () => ({ primary: processCpuSeconds(child.pid!), http: httpChildren(child.pid!).map(processCpuSeconds) }),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

