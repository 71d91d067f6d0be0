import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayRedis {
  url: string;
  port: number;
  dir: string;
  /** the redis-server process (the bench reads its CPU time) */
  pid: number;
  /** stops the server; its data dir is removed unless `keepData` (to start it again on it) */
  stop(options?: { keepData?: boolean }): void;
  /** resolves once the process has exited */
  exited: Promise<void>;
}

/**
 * A redis-server of our own on a free loopback port with its data in a temp dir, for tests and
 * benchmarks: they never touch a developer's Redis, and need nothing running beforehand.
 */
export async function startThrowawayRedis({
  appendOnly = false,
  port: wantedPort,
  dir: wantedDir,
}: { appendOnly?: boolean; port?: number; dir?: string } = {}): Promise<ThrowawayRedis> {
  const port = wantedPort ?? (await freePort());
  const dir = wantedDir ?? mkdtempSync(join(tmpdir(), 'couponflow-redis-'));
  const redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', appendOnly ? 'yes' : 'no', '--appendfsync', 'always'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((done) => redis.once('exit', () => done()));
  const stop = ({ keepData = false } = {}) => {
    redis.kill();
    if (!keepData) void exited.then(() => rmSync(dir, { recursive: true, force: true }));
  };
  const failed = new Promise<never>((_, reject) =>
    redis.once('error', () => reject(new Error('redis-server is needed: apt-get install -y redis-server'))),
  );
  const ready = (async () => {
    for (let i = 0; i < 200; i++) {
      if (await answersPing(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('redis-server did not start');
  })();
  try {
    await Promise.race([ready, failed]);
  } catch (error) {
    stop();
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}`, port, dir, pid: redis.pid!, stop, exited };
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return port;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.write('PING\r\n');
      socket.once('data', (data) => {
        socket.destroy();
        done(data.toString().startsWith('+PONG'));
      });
    });
    socket.once('error', () => done(false));
  });
}
