import { z } from 'zod';
import { ACCESS_TOKEN_ISSUER, loadSubgraphConfig, parseEnv, type SubgraphConfig } from '@supergraph/kit';

/** The users subgraph's settings: the shared ones plus token lifetimes, keys and the seeded ADMIN. */
export interface UsersConfig extends SubgraphConfig {
  /** PKCS#8 PEM of the ES256 signing key; absent outside production → generated and kept under DATA_DIR. */
  jwtPrivateKey?: string;
  /** Base64 AES-256 key sealing two-factor seeds at rest; absent outside production → generated and kept under DATA_DIR. */
  totpEncryptionKey?: string;
  jwtIssuer: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  passwordResetTtlSeconds: number;
  /** Public origin of the web app, for links in password-reset messages. */
  publicOrigin: string;
  adminEmail: string;
  adminPassword: string;
}

/** Default port of the users subgraph. */
export const USERS_PORT = 4001;

/** Reads the users subgraph's settings; fails fast, and in production requires the signing and TOTP keys. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): UsersConfig {
  const base = loadSubgraphConfig('users', USERS_PORT, env);
  const own = parseEnv(
    z.object({
      JWT_PRIVATE_KEY: z.string().optional(),
      TOTP_ENCRYPTION_KEY: z.string().optional(),
      JWT_ISSUER: z.string().default(ACCESS_TOKEN_ISSUER),
      ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
      REFRESH_TOKEN_TTL_SECONDS: z.coerce
        .number()
        .int()
        .min(3_600)
        .default(30 * 86_400),
      PASSWORD_RESET_TTL_SECONDS: z.coerce.number().int().min(300).max(86_400).default(1_800),
      PUBLIC_ORIGIN: z.string().url().default('http://localhost:4000'),
      ADMIN_EMAIL: z.string().email().default('admin@example.com'),
      ADMIN_PASSWORD: z.string().min(10).default('admin-password-123'),
    }),
    env,
    'users configuration',
  );
  if (base.nodeEnv === 'production') {
    const missing = (['JWT_PRIVATE_KEY', 'TOTP_ENCRYPTION_KEY'] as const).filter((name) => !own[name]);
    if (missing.length)
      throw new Error(
        `Invalid users configuration:\n${missing.map((name) => `  ${name}: is required in production`).join('\n')}`,
      );
  }
  return {
    ...base,
    jwtPrivateKey: own.JWT_PRIVATE_KEY?.replace(/\\n/g, '\n'),
    totpEncryptionKey: own.TOTP_ENCRYPTION_KEY,
    jwtIssuer: own.JWT_ISSUER,
    accessTokenTtlSeconds: own.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: own.REFRESH_TOKEN_TTL_SECONDS,
    passwordResetTtlSeconds: own.PASSWORD_RESET_TTL_SECONDS,
    publicOrigin: own.PUBLIC_ORIGIN,
    adminEmail: own.ADMIN_EMAIL.toLowerCase(),
    adminPassword: own.ADMIN_PASSWORD,
  };
}
