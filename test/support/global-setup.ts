import type { TestProject } from 'vitest/node';
import { Client } from 'pg';
import { startStack, subgraphDatabaseUrl } from '../../scripts/stack';
import { SUBGRAPHS } from '../../scripts/topology';

declare module 'vitest' {
  export interface ProvidedContext {
    routerUrl: string;
    subgraphUrls: Record<string, string>;
    mode: 'embedded' | 'postgres+redis';
  }
}

/**
 * Starts the whole supergraph once for the api project: embedded PGlite in memory and the
 * in-process bus by default; with TEST_DATABASE_URL (a server URL naming a fresh database prefix)
 * and TEST_REDIS_URL, on real Postgres and Redis, dropping the run's databases afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
  const redisUrl = process.env.TEST_REDIS_URL || undefined;
  const stack = await startStack({
    ports: 'free',
    dataDir: ':memory:',
    databaseUrl,
    redisUrl,
    redisPrefix: process.env.TEST_REDIS_PREFIX ?? `test${process.pid}`,
    env: { SEED: 'true', NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  project.provide('routerUrl', stack.routerUrl);
  project.provide('subgraphUrls', Object.fromEntries(Object.values(stack.subgraphs).map((s) => [s.name, s.url])));
  project.provide('mode', databaseUrl ? 'postgres+redis' : 'embedded');
  return async () => {
    await stack.stop();
    if (databaseUrl) await dropDatabases(databaseUrl);
  };
}

/** Drops the per-subgraph databases this run created. */
async function dropDatabases(serverUrl: string): Promise<void> {
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    for (const { name } of SUBGRAPHS) {
      const db = new URL(subgraphDatabaseUrl(serverUrl, name)).pathname.slice(1);
      await client.query(`drop database if exists "${db}" with (force)`);
    }
  } finally {
    await client.end();
  }
}
