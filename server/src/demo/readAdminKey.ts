import { existsSync, readFileSync } from 'node:fs';
import { adminKeyFile, type Config } from '../config';
import { DemoError } from './demoError';

/** The instance admin key `npm start` uses: ADMIN_API_KEY, else `<DATA_DIR>/admin-api-key`. Never generates one. */
export function readAdminKey(config: Pick<Config, 'adminApiKey' | 'dataDir'>): { key: string; source: string } {
  if (config.adminApiKey) return { key: config.adminApiKey, source: 'ADMIN_API_KEY' };
  const file = adminKeyFile(config);
  const key = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (!key) {
    throw new DemoError(
      `No instance admin key in ${file} (nor ADMIN_API_KEY). \`npm start\` writes it on its first start: ` +
        'run the demo with the same DATA_DIR as the server.',
    );
  }
  return { key, source: file };
}
