#!/usr/bin/env node
/**
 * `node deploy/kubernetes/migrate.cjs <subgraph>`: applies the subgraph's committed migrations to
 * DATABASE_URL (creating the database when missing) and exits: 0 when the schema is current,
 * 1 otherwise. The Kubernetes manifests run it as each subgraph pod's init container, from the
 * same image and environment as the service, so a pod starts only on a migrated database.
 *
 * Pods of one subgraph starting together (a rollout, a scale-out) take turns: the script holds a
 * session advisory lock, taken on the server's `postgres` database and named after the target
 * database, while it migrates; the next one finds nothing pending. The service applies pending
 * migrations on start as well (the same code), which is then a no-op.
 */
'use strict';
const { join } = require('node:path');
const { Client } = require('pg');

const ROOT = join(__dirname, '..', '..');
const SUBGRAPHS = ['users', 'cases', 'plants', 'notifications', 'analytics'];

async function main() {
  const name = process.argv[2];
  if (!SUBGRAPHS.includes(name)) throw new Error(`usage: migrate.cjs <${SUBGRAPHS.join('|')}>`);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  const kit = require(join(ROOT, 'kit', 'dist', 'index.js'));
  const { ENTITIES } = require(join(ROOT, 'subgraphs', name, 'dist', 'entities', 'index.js'));
  const { MIGRATIONS } = require(join(ROOT, 'subgraphs', name, 'dist', 'migrations', 'index.js'));
  const log = kit.createLogger(`${name}-migrate`, process.env.LOG_LEVEL || 'info');

  const target = new URL(databaseUrl);
  const database = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const lock = new Client({ connectionString: admin.toString() });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock(hashtext($1))', [`supergraph:migrate:${database}`]);
    const db = await kit.openDatabase({
      service: name,
      databaseUrl,
      dataDir: ':memory:',
      entities: ENTITIES,
      migrations: MIGRATIONS,
      log,
      poolMax: 2,
    });
    const applied = await db.orm.getMigrator().getExecutedMigrations();
    log.info({ database, migrations: applied.length, latest: applied.at(-1)?.name }, 'schema is current');
    await db.close();
  } finally {
    await lock.end(); // ends the session, which releases the lock
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`migrate failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
