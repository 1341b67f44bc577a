import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createLogger, openDatabase, type Database } from '@supergraph/kit';
import { ENTITIES } from '../../src/entities';
import { MIGRATIONS } from '../../src/migrations';

/** A plants database for module tests and how to get rid of it. */
export interface TestDatabases {
  backend: 'pglite' | 'postgres';
  /** Two handles on the SAME database (two replicas); with PGlite both are the one embedded instance. */
  replicas: [Database, Database];
  close(): Promise<void>;
}

/**
 * The backends every module test here runs on, in every run: PGlite and a real Postgres server.
 * Chosen when the file loads, so never from a variable a later CI step sets: the server is
 * TEST_DATABASE_URL's when given, else the machine's (127.0.0.1:5432, trust auth, as `npm test` expects).
 */
export const BACKENDS = ['pglite', 'postgres'] as const;

/** The Postgres server the `postgres` backend creates its throw-away databases on. */
const POSTGRES_SERVER = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const log = createLogger('plants', 'warn');

/**
 * Opens a migrated plants database. PGlite (in memory) serves one process, so both "replicas"
 * share its ORM (separate pooled connections); on Postgres each replica is its own ORM and pool
 * on a fresh database that close() drops.
 */
export async function openTestDatabases(backend: 'pglite' | 'postgres'): Promise<TestDatabases> {
  if (backend === 'pglite') {
    const db = await openDatabase({
      service: 'plants',
      dataDir: ':memory:',
      entities: ENTITIES,
      migrations: MIGRATIONS,
      log,
    });
    return { backend, replicas: [db, db], close: () => db.close() };
  }
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/plants_module_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const a = await openDatabase({
    service: 'plants',
    databaseUrl: url.toString(),
    dataDir: ':memory:',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    log,
  });
  const b = await openDatabase({
    service: 'plants',
    databaseUrl: url.toString(),
    dataDir: ':memory:',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    log,
  });
  return {
    backend,
    replicas: [a, b],
    async close() {
      await a.close();
      await b.close();
      const admin = new URL(url);
      admin.pathname = '/postgres';
      const client = new Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`drop database if exists "${url.pathname.slice(1)}" with (force)`).finally(() => client.end());
    },
  };
}
