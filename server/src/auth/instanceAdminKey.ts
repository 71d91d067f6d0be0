import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { adminKeyFile, type Config } from '../config';
import { newApiKeySecret } from './apiKeys';

export interface InstanceAdminKey {
  key: string;
  /** true when this start generated it (the caller prints it, once) */
  generated: boolean;
  file: string | null;
}

/** ADMIN_API_KEY, else the key generated on the first start and kept in `data/admin-api-key` (0600). */
export function instanceAdminKey(config: Pick<Config, 'adminApiKey' | 'dataDir'>): InstanceAdminKey {
  if (config.adminApiKey) return { key: config.adminApiKey, generated: false, file: null };
  const file = adminKeyFile(config);
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), generated: false, file };
  const key = newApiKeySecret();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, generated: true, file };
}
