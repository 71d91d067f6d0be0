import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { databaseDialect, databaseUrlFromEnv } from '@couponflow/db';

export type Role = 'server' | 'worker' | 'all';

export interface Config {
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string;
  /** PostgreSQL: connections this process keeps (each open transaction holds one) */
  databasePoolSize: number;
  redisUrl: string | undefined;
  /** BullMQ key prefix, so several instances can share one Redis */
  redisPrefix: string;
  adminApiKey: string | undefined;
  /** seals channel credentials at rest; generated into DATA_DIR when unset */
  secretKey: string | undefined;
  /** Bot Framework: where channel signing keys are published, and where the bot gets its token */
  botframeworkOpenIdMetadataUrl: string | undefined;
  botframeworkTokenUrl: string | undefined;
  role: Role;
  /** HTTP server processes sharing the port (node:cluster); 1 serves from this process itself */
  httpProcesses: number;
  logLevel: string;
  rateLimitFailedPerMinute: number;
  /** express `trust proxy`: unset trusts no proxy, so every client is its socket's address */
  trustProxy: boolean | number | string | undefined;
  /** public web chat messages a client address may post per minute (0 = no limit) */
  webchatMessagesPerMinute: number;
  /** open web chat streams per server process, and per client address */
  maxOpenStreams: number;
  maxOpenStreamsPerClient: number;
}

/** SPEC §6: configuration by environment, a `.env` file read when present. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, { readDotEnv = true } = {}): Config {
  if (readDotEnv && existsSync('.env')) process.loadEnvFile('.env');
  const port = intFrom(env.PORT, 3000, 'PORT');
  const dataDir = env.DATA_DIR || 'data';
  const role = (env.ROLE || 'all') as Role;
  if (!['server', 'worker', 'all'].includes(role)) throw new Error(`ROLE must be server, worker or all (got ${env.ROLE})`);
  const databaseUrl = databaseUrlFromEnv({ ...env, DATA_DIR: dataDir });
  databaseDialect(databaseUrl); // an unknown scheme stops start-up here
  return {
    port,
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    dataDir,
    databaseUrl,
    databasePoolSize: positiveIntFrom(env.DATABASE_POOL_SIZE, 10, 'DATABASE_POOL_SIZE'),
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.REDIS_PREFIX || 'couponflow',
    adminApiKey: env.ADMIN_API_KEY || undefined,
    secretKey: env.SECRET_KEY || undefined,
    botframeworkOpenIdMetadataUrl: env.BOTFRAMEWORK_OPENID_METADATA_URL || undefined,
    botframeworkTokenUrl: env.BOTFRAMEWORK_TOKEN_URL || undefined,
    role,
    httpProcesses: positiveIntFrom(env.HTTP_PROCESSES, 1, 'HTTP_PROCESSES'),
    logLevel: env.LOG_LEVEL || 'info',
    rateLimitFailedPerMinute: intFrom(env.RATE_LIMIT_FAILED_PER_MINUTE, 20, 'RATE_LIMIT_FAILED_PER_MINUTE'),
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    webchatMessagesPerMinute: intFrom(env.WEBCHAT_MESSAGES_PER_MINUTE, 60, 'WEBCHAT_MESSAGES_PER_MINUTE'),
    maxOpenStreams: intFrom(env.MAX_OPEN_STREAMS, 2000, 'MAX_OPEN_STREAMS'),
    maxOpenStreamsPerClient: intFrom(env.MAX_OPEN_STREAMS_PER_CLIENT, 10, 'MAX_OPEN_STREAMS_PER_CLIENT'),
  };
}

/** `true`/`false`, a hop count, or addresses/subnets as express takes them (`loopback, 10.0.0.0/8`). */
function trustProxyFrom(value: string | undefined): Config['trustProxy'] {
  if (value === undefined || value.trim() === '') return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

function positiveIntFrom(value: string | undefined, fallback: number, name: string): number {
  const n = intFrom(value, fallback, name);
  if (n < 1) throw new Error(`${name} must be at least 1 (got ${value})`);
  return n;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number (got ${value})`);
  return n;
}

export const adminKeyFile = (config: Pick<Config, 'dataDir'>) => join(config.dataDir, 'admin-api-key');
