import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';

const PRODUCTION = {
  NODE_ENV: 'production',
  ROUTER_SIGNING_SECRET: 's'.repeat(40),
  DATABASE_URL: 'postgres://127.0.0.1/users',
};

describe('users configuration', () => {
  it('fails fast in production without the signing key or the TOTP sealing key, naming each', () => {
    expect(() => loadConfig(PRODUCTION)).toThrow(
      /JWT_PRIVATE_KEY: is required in production\n\s+TOTP_ENCRYPTION_KEY: is required in production/,
    );
    expect(() => loadConfig({ ...PRODUCTION, JWT_PRIVATE_KEY: 'pem' })).toThrow(/TOTP_ENCRYPTION_KEY: is required/);
    expect(loadConfig({ ...PRODUCTION, JWT_PRIVATE_KEY: 'pem', TOTP_ENCRYPTION_KEY: 'a2V5' }).totpEncryptionKey).toBe(
      'a2V5',
    );
  });

  it('needs neither outside production', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(config.jwtPrivateKey).toBeUndefined();
    expect(config.totpEncryptionKey).toBeUndefined();
  });
});
