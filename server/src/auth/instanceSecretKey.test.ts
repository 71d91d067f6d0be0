import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { instanceCipher, secretKeyFile } from './instanceSecretKey';

describe('the instance secret key', () => {
  it('is generated on the first start into DATA_DIR (0600) and reused after', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'couponflow-key-'));
    const sealed = instanceCipher({ dataDir, secretKey: undefined }).seal({ token: 'abc' });
    expect(statSync(secretKeyFile({ dataDir })).mode & 0o777).toBe(0o600);
    expect(readFileSync(secretKeyFile({ dataDir }), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(instanceCipher({ dataDir, secretKey: undefined }).open(sealed)).toEqual({ token: 'abc' });
  });

  it('comes from SECRET_KEY when set; another key cannot open what it sealed', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'couponflow-key-'));
    const sealed = instanceCipher({ dataDir, secretKey: 'correct horse battery staple' }).seal({ token: 'abc' });
    expect(instanceCipher({ dataDir, secretKey: 'correct horse battery staple' }).open(sealed)).toEqual({ token: 'abc' });
    expect(() => instanceCipher({ dataDir, secretKey: 'another' }).open(sealed)).toThrow();
  });
});

describe('credentials saved before sealing', () => {
  it('are still read (an existing web chat inbox keeps working)', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'couponflow-key-'));
    expect(instanceCipher({ dataDir, secretKey: 'k' }).open('{}')).toEqual({});
  });
});
