import {
  MikroORM,
  type MigrationObject,
  type Logger as OrmLogger,
  type LogContext,
  type LoggerNamespace,
} from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import type { Logger } from '../logging/logger';
import {
  DEFAULT_POOL_MAX,
  embeddedConnections,
  embeddedDataDir,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from './embedded-postgres';
import { originOf, ServiceEntityManager, type StatementOrigin } from './statement.origin';

/** How a service reaches its database. */
export interface DatabaseOptions {
  /** The service name: also the embedded data folder and the log label. */
  service: string;
  /** A Postgres URL including the database name; absent → embedded PGlite. Created when missing. */
  databaseUrl?: string;
  /** Where PGlite keeps its files (`<dataDir>/<service>/pg`); ':memory:' keeps nothing. */
  dataDir: string;
  /** Entity classes of the service (MikroORM decorators). */
  entities: Function[];
  /** The committed migrations, in order; applied on start, never `schema:update`. */
  migrations: MigrationObject[];
  /**
   * Called for every SQL statement (metrics, tests counting statements), with the origin its
   * EntityManager's logger context names (see {@link ServiceEntityManager}), if it names one.
   */
  onStatement?: (sql: string, origin: StatementOrigin | undefined) => void;
  log: Logger;
  poolMax?: number;
}

/** An open database: the ORM and a way to close it (and the embedded server, if any). */
export interface Database {
  orm: MikroORM<PostgreSqlDriver, ServiceEntityManager>;
  url: string;
  embedded: boolean;
  /** `select 1` round trip, for `/ready`. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Opens the service's database: starts embedded PGlite when no URL is given, otherwise creates the
 * named database on the server if it does not exist; then connects MikroORM and applies pending
 * migrations.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const poolMax = opts.poolMax ?? DEFAULT_POOL_MAX;
  let embedded: EmbeddedPostgres | undefined;
  let url = opts.databaseUrl;
  if (!url) {
    const dataDir = embeddedDataDir(opts.dataDir, opts.service);
    embedded = await startEmbeddedPostgres({ dataDir, maxConnections: embeddedConnections(poolMax) });
    url = embedded.url;
  } else {
    await ensureDatabase(url);
  }

  const orm = await MikroORM.init<PostgreSqlDriver, ServiceEntityManager>({
    driver: PostgreSqlDriver,
    entityManager: ServiceEntityManager,
    clientUrl: url,
    entities: opts.entities,
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: { migrationsList: opts.migrations, transactional: true, allOrNothing: true, snapshot: false },
    pool: { min: 0, max: poolMax },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    loggerFactory: () => statementLogger(opts),
  });
  try {
    await orm.getMigrator().up();
  } catch (err) {
    await orm.close(true);
    await embedded?.stop();
    throw err;
  }
  return {
    orm,
    url,
    embedded: !!embedded,
    async ping() {
      try {
        await orm.em.getConnection().execute('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await orm.close(true);
      await embedded?.stop();
    },
  };
}

/** Creates the database named in `url` when the server does not have it yet. */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`DATABASE_URL ${redact(url)} names no database`);
  if (!/^[a-z0-9_]+$/i.test(name)) throw new Error(`database name "${name}" must be letters, digits and underscores`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      try {
        await client.query(`create database "${name}"`);
      } catch (err) {
        // Two processes starting together may race to create it; losing that race is fine.
        if ((err as { code?: string }).code !== '42P04') throw err;
      }
    }
  } finally {
    await client.end();
  }
}

/** A URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** MikroORM logger: counts every statement and logs it at debug level through pino. */
function statementLogger(opts: DatabaseOptions): OrmLogger {
  const log = opts.log.child({ component: 'orm' });
  return {
    log: (namespace: string, message: string) => log.debug({ namespace }, message),
    error: (namespace: string, message: string) => log.error({ namespace }, message),
    warn: (namespace: string, message: string) => log.warn({ namespace }, message),
    logQuery(context: LogContext) {
      if (!context.query) return;
      opts.onStatement?.(context.query, originOf(context));
      if (log.isLevelEnabled('debug')) log.debug({ took: context.took, results: context.results }, context.query);
    },
    setDebugMode: (_m: boolean | LoggerNamespace[]) => undefined,
    isEnabled: () => true,
  };
}
