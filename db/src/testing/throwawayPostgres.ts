import { spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';

export interface ThrowawayPostgres {
  /** the cluster's own (empty) `postgres` database, as the superuser `postgres` */
  url: string;
  port: number;
  dir: string;
  /** a new database in this cluster (empty, or a copy of `template`), so tests sharing one cluster stay apart */
  createDatabase(name: string, template?: string): Promise<string>;
  /** shuts the cluster down and removes its directory */
  stop(): Promise<void>;
}

const missing = 'PostgreSQL server binaries (initdb, pg_ctl) are needed: apt-get install -y postgresql';

/**
 * A PostgreSQL cluster of our own on a free loopback port with its data and socket in a temp dir,
 * for tests and benchmarks: they never touch a developer's database and need nothing running
 * beforehand. PostgreSQL refuses to run as root, so as root the cluster belongs to `postgres`.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = requirePostgresBinDir();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'couponflow-postgres-'));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const owner = await postgresUser();
    chownSync(dir, owner.uid, owner.gid);
  }
  const run = (tool: string, args: string[]) =>
    asRoot ? runTool('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : runTool(join(bin, tool), args);
  const data = join(dir, 'data');
  const stop = async () => {
    if (existsSync(join(data, 'postmaster.pid'))) await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions']);
    // Durability is not what a throwaway cluster is for; fsync off keeps tests fast.
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  } catch (error) {
    await stop();
    throw error;
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const createDatabase = (name: string, template?: string) => createDatabaseIn(url, name, template);
  return { url, port, dir, createDatabase, stop };
}

/** Creates database `name` in the cluster `clusterUrl` points at, optionally copying `template`. */
export async function createDatabaseIn(clusterUrl: string, name: string, template?: string): Promise<string> {
  const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(`create database ${quote(name)}${template ? ` template ${quote(template)}` : ''}`);
  } finally {
    await client.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}


export function requirePostgresBinDir(env: NodeJS.ProcessEnv = process.env, root = '/usr/lib/postgresql'): string {
  const bin = postgresBinDir(env, root);
  if (!bin) throw new Error(missing);
  return bin;
}

/** `pg_ctl` on PATH, else Debian's versioned dir (not on PATH), newest version first. */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env, root = '/usr/lib/postgresql'): string | undefined {
  const hasTools = (dir: string) => existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb'));
  const onPath = (env.PATH ?? '').split(delimiter).find((dir) => dir && hasTools(dir));
  if (onPath) return onPath;
  if (!existsSync(root)) return undefined;
  return readdirSync(root)
    .filter((version) => /^\d+(\.\d+)?$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(root, version, 'bin'))
    .find(hasTools);
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([runTool('id', ['-u', 'postgres']), runTool('id', ['-g', 'postgres'])]).catch(() => {
    throw new Error(`${missing} (it creates the postgres user the cluster runs as)`);
  });
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

function runTool(command: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    // pg_ctl start is given -l, so the server it leaves running holds none of these pipes open.
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', (error) => fail(error));
    child.once('close', (code) => (code === 0 ? done(out) : fail(new Error(`${command} ${args.join(' ')} failed (${code}): ${err.trim()}`))));
  });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return port;
}
