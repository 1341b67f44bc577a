import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { DEVELOPMENT_SIGNING_SECRET } from '@supergraph/kit';
import { deleteRedisKeys, dropSubgraphDatabases } from '../../scripts/databases';
import { startStack } from '../../scripts/stack';
import { startProduction } from '../../scripts/start-production';

declare module 'vitest' {
  export interface ProvidedContext {
    routerUrl: string;
    subgraphUrls: Record<string, string>;
    signingSecret: string;
    mode: 'embedded' | 'production';
  }
}

/**
 * What the suite's services are told whatever the machine's environment says, so each test knows
 * the one outcome to expect: no e-mail provider (an alert's EMAIL delivery is SKIPPED, "not
 * configured").
 */
// Every test client shares one address (127.0.0.1): the suite's own pace must not trip the per-IP
// limit meant for one client. The limit itself is tested on a router of its own (limits.test.ts).
const FIXED_ENV: NodeJS.ProcessEnv = { SMTP_HOST: '', RATE_LIMIT_IP_PER_MINUTE: '100000' };

/**
 * Starts the whole supergraph once for the api project, every service on a port it binds itself
 * (port 0), so another supergraph on the documented ports (or anything else) never interferes.
 * - Default: the embedded stack in this process (PGlite in memory, in-process bus), as `npm start`.
 * - With TEST_DATABASE_URL (a Postgres server URL whose database name is a fresh prefix) and
 *   TEST_REDIS_URL: the production topology, every service its own process from the built
 *   JavaScript (`npm run build` first), NODE_ENV=production with generated secrets. The run's
 *   databases and Redis keys are removed afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
  const redisUrl = process.env.TEST_REDIS_URL || undefined;
  if (!databaseUrl || !redisUrl) {
    const stack = await startStack({
      ports: 'free',
      dataDir: ':memory:',
      env: { ...FIXED_ENV, SEED: 'true', NODE_ENV: 'test' },
    });
    project.provide('routerUrl', stack.routerUrl);
    project.provide('subgraphUrls', Object.fromEntries(Object.values(stack.subgraphs).map((s) => [s.name, s.url])));
    project.provide('signingSecret', DEVELOPMENT_SIGNING_SECRET);
    project.provide('mode', 'embedded');
    return () => stack.stop();
  }

  const signingSecret = randomBytes(32).toString('base64url');
  const redisPrefix = new URL(databaseUrl).pathname.slice(1) || `test${process.pid}`;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const running = await startProduction({
    databaseUrl,
    redisUrl,
    ports: 'free',
    quiet: !process.env.TEST_VERBOSE,
    env: {
      ...FIXED_ENV,
      NODE_ENV: 'production',
      SEED: 'true',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      REDIS_PREFIX: redisPrefix,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'supergraph-test-')), // files (photos) outside the repo
      ROUTER_SIGNING_SECRET: signingSecret,
      JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      TOTP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    },
  });
  project.provide('routerUrl', running.routerUrl);
  project.provide(
    'subgraphUrls',
    Object.fromEntries(running.services.filter((s) => s.name !== 'router').map((s) => [s.name, s.url])),
  );
  project.provide('signingSecret', signingSecret);
  project.provide('mode', 'production');
  return async () => {
    await running.stop();
    await dropSubgraphDatabases(databaseUrl);
    await deleteRedisKeys(redisUrl, redisPrefix);
  };
}
