import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const VERSION = 'v1';

/**
 * Seals short secrets (two-factor seeds) for storage with AES-256-GCM: a stored value reads
 * `v1.<iv>.<tag>.<ciphertext>` (base64url), so a database dump alone does not reveal them and
 * a changed value fails to open. Values without the prefix were written before sealing existed:
 * `open` returns them as they are (the next successful sign-in seals them).
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** A box for a base64 key of exactly 32 bytes; throws on anything else. */
  static fromKey(base64: string): SecretBox {
    const key = Buffer.from(base64, 'base64');
    if (key.length !== 32) throw new Error(`TOTP_ENCRYPTION_KEY must be 32 bytes in base64 (got ${key.length} bytes)`);
    return new SecretBox(key);
  }

  /** Seals `plain` with a fresh random IV. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  /** True when `stored` was written by `seal` (not a value from before sealing). */
  isSealed(stored: string): boolean {
    const parts = stored.split('.');
    return parts[0] === VERSION && parts.length === 4;
  }

  /** The secret in a stored value; throws when a sealed value was altered or sealed with another key. */
  open(stored: string): string {
    if (!this.isSealed(stored)) return stored;
    const parts = stored.split('.');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(parts[1]!, 'base64url'));
    decipher.setAuthTag(Buffer.from(parts[2]!, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/**
 * The box of the two-factor seeds: from TOTP_ENCRYPTION_KEY when set (required in production),
 * else a key generated once and kept in `<dataDir>/users/totp-encryption.key` (in memory for
 * ':memory:'), like the development signing key.
 */
export function loadSecretBox(configured: string | undefined, dataDir: string): SecretBox {
  if (configured) return SecretBox.fromKey(configured);
  const file = dataDir === ':memory:' ? undefined : join(dataDir, 'users', 'totp-encryption.key');
  if (file && existsSync(file)) return SecretBox.fromKey(readFileSync(file, 'utf8').trim());
  const key = randomBytes(32).toString('base64');
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, key, { mode: 0o600 });
  }
  return SecretBox.fromKey(key);
}
