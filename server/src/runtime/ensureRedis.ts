import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';

export interface RedisHandle {
  url: string;
  /** the redis-server this process started, stopped with it */
  child: ChildProcess | null;
}

const localUrl = 'redis://127.0.0.1:6379';

/**
 * SPEC §6: REDIS_URL when set; else whatever answers on 127.0.0.1:6379; else a local
 * `redis-server` with its data in `<DATA_DIR>/redis`, append-only on.
 */
export async function ensureRedis({ redisUrl, dataDir }: { redisUrl: string | undefined; dataDir: string }): Promise<RedisHandle> {
  if (redisUrl) {
    if (!(await answers(redisUrl))) throw new Error(`Redis at REDIS_URL (${redisUrl}) does not answer.`);
    return { url: redisUrl, child: null };
  }
  if (await answers(localUrl)) return { url: localUrl, child: null };
  const dir = resolve(join(dataDir, 'redis'));
  mkdirSync(dir, { recursive: true });
  const child = spawn('redis-server', ['--port', '6379', '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], {
    stdio: 'ignore',
  });
  const started = await new Promise<boolean>((done) => {
    child.once('error', () => done(false));
    void waitUntilAnswers(localUrl, 100).then(done);
  });
  if (!started) {
    child.kill();
    throw new Error(
      'Couponflow needs Redis. Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`, macOS: `brew install redis`) ' +
        'and run `npm start` again, or point REDIS_URL at a running Redis.',
    );
  }
  const stop = () => child.kill();
  process.once('exit', stop);
  return { url: localUrl, child };
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function waitUntilAnswers(url: string, tries: number): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await answers(url)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
