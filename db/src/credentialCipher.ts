import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Seals channel credentials at rest (AES-256-GCM) with the instance key; the only place they are (de)crypted. */
export interface CredentialCipher {
  seal(credentials: Record<string, string>): string;
  /** throws when the key is wrong or the value was tampered with */
  open(sealed: string): Record<string, string>;
}

/** A 32-byte key from `SECRET_KEY`: 64 hex characters as is, anything else hashed to 32 bytes. */
export function keyFromSecret(secret: string): Buffer {
  return /^[0-9a-f]{64}$/i.test(secret) ? Buffer.from(secret, 'hex') : createHash('sha256').update(secret).digest();
}

export function credentialCipher(key: Buffer): CredentialCipher {
  if (key.length !== 32) throw new Error('the credential key must be 32 bytes');
  return {
    seal(credentials) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      // Inboxes saved before credentials were sealed hold them as clear JSON; they still work, and are sealed when next changed.
      if (sealed.startsWith('{')) return JSON.parse(sealed) as Record<string, string>;
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not sealed credentials');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const clear = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      return JSON.parse(clear) as Record<string, string>;
    },
  };
}
