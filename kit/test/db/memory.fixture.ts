import { openDatabase, type Database } from '../../src/db/database';
import type { StatementOrigin } from '../../src/db/statement.origin';
import type { Logger } from '../../src/logging/logger';

/** A statement a test saw, with the origin its EntityManager named. */
export interface SeenStatement {
  sql: string;
  origin: StatementOrigin | undefined;
}

/**
 * An in-memory database for a kit test (PGlite, no migrations), pushing every statement it runs
 * onto `seen`. Tables of `entities` are for the test to create (`db.orm.schema.createSchema()`).
 */
export function memoryDatabase(
  service: string,
  log: Logger,
  seen: SeenStatement[],
  entities: Parameters<typeof openDatabase>[0]['entities'] = [],
): Promise<Database> {
  return openDatabase({
    service,
    dataDir: ':memory:',
    entities,
    migrations: [],
    log,
    onStatement: (sql, origin) => seen.push({ sql, origin }),
  });
}
