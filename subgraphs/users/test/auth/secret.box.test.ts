import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, loadSecretBox } from '../../src/auth/secret.box';

const key = () => randomBytes(32).toString('base64');
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('SecretBox (two-factor seeds at rest)', () => {
  it('seals with a fresh IV each time and opens what it sealed', () => {
    const box = SecretBox.fromKey(key());
    const a = box.seal(SEED);
    const b = box.seal(SEED);
    expect(a).not.toBe(b);
    expect(a).not.toContain(SEED);
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(box.isSealed(a)).toBe(true);
    expect(box.open(a)).toBe(SEED);
    expect(box.open(b)).toBe(SEED);
  });

  it('refuses an altered value and a value sealed with another key', () => {
    const box = SecretBox.fromKey(key());
    const sealed = box.seal(SEED);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] ^= 1;
    expect(() => box.open([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'))).toThrow();
    expect(() => SecretBox.fromKey(key()).open(sealed)).toThrow();
  });

  it('reads a seed stored before sealing as it is', () => {
    const box = SecretBox.fromKey(key());
    expect(box.isSealed(SEED)).toBe(false);
    expect(box.open(SEED)).toBe(SEED);
  });

  it('wants a 32-byte key', () => {
    expect(() => SecretBox.fromKey(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });

  it('keeps a generated development key under the data directory, private, and reuses it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'users-box-'));
    const sealed = loadSecretBox(undefined, dataDir).seal(SEED);
    const file = join(dataDir, 'users', 'totp-encryption.key');
    expect(Buffer.from(readFileSync(file, 'utf8'), 'base64')).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecretBox(undefined, dataDir).open(sealed)).toBe(SEED);
    const configured = key();
    expect(loadSecretBox(configured, dataDir).open(SecretBox.fromKey(configured).seal(SEED))).toBe(SEED);
  });
});
