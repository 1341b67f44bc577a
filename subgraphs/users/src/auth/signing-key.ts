import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type JWK, type CryptoKey } from 'jose';
import { ACCESS_TOKEN_ALGORITHM } from '@supergraph/kit';

/** The ES256 key pair access tokens are signed with, and its public JWK (with `kid`). */
export interface SigningKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
  kid: string;
}

/**
 * Loads the signing key from PEM; without one, generates a key and keeps it under
 * `<dataDir>/users/jwt-signing-key.pem` so tokens survive a restart (memory only for ':memory:').
 */
export async function loadSigningKey(pem: string | undefined, dataDir: string): Promise<SigningKey> {
  let pkcs8 = pem;
  if (!pkcs8) {
    const file = dataDir === ':memory:' ? undefined : join(dataDir, 'users', 'jwt-signing-key.pem');
    if (file && existsSync(file)) pkcs8 = readFileSync(file, 'utf8');
    else {
      const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
      pkcs8 = await exportPKCS8(privateKey);
      if (file) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, pkcs8, { mode: 0o600 });
      }
    }
  }
  const privateKey = await importPKCS8(pkcs8, ACCESS_TOKEN_ALGORITHM, { extractable: true });
  const { d: _private, ...publicJwk } = await exportJWK(privateKey);
  const kid = createHash('sha256')
    .update(JSON.stringify([publicJwk.crv, publicJwk.x, publicJwk.y]))
    .digest('base64url')
    .slice(0, 16);
  return { privateKey, publicJwk: { ...publicJwk, kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' }, kid };
}
