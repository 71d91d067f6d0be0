import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { credentialCipher, keyFromSecret, type CredentialCipher } from '@couponflow/db';
import type { Config } from '../config';

export const secretKeyFile = (config: Pick<Config, 'dataDir'>) => join(config.dataDir, 'secret-key');

/**
 * The instance key that seals channel credentials at rest: `SECRET_KEY`, else one generated on the
 * first start and kept in `data/secret-key` (0600). Losing it makes stored credentials unreadable.
 */
export function instanceCipher(config: Pick<Config, 'secretKey' | 'dataDir'>): CredentialCipher {
  if (config.secretKey) return credentialCipher(keyFromSecret(config.secretKey));
  const file = secretKeyFile(config);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    } catch (error) {
      // Another process of the same instance wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return credentialCipher(keyFromSecret(readFileSync(file, 'utf8').trim()));
}
