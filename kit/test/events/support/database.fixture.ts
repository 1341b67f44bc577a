import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Entity, MikroORM, PrimaryKey, Property } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { EVENT_ENTITIES, EVENTS_MIGRATION_SQL } from '../../../src/events';

/** A domain row the tests change together with emitting events. */
@Entity({ tableName: 'test_thing' })
export class TestThing {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;
}

const TEST_THING_SQL = 'create table "test_thing" ("id" uuid not null primary key, "name" text not null)';

/** A real (WASM) Postgres on a loopback port with the event tables, and an ORM on it. */
export interface TestDatabase {
  orm: MikroORM;
  stop(): Promise<void>;
}

const POOL_MAX = 4;

/** Starts PGlite behind pglite-socket, connects MikroORM and applies EVENTS_MIGRATION_SQL. */
export async function startTestDatabase(): Promise<TestDatabase> {
  const db = await PGlite.create();
  // pglite-socket admits one connection unless told otherwise; the pool needs POOL_MAX.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: POOL_MAX + 2 });
  await server.start();
  const orm = await MikroORM.init({
    driver: PostgreSqlDriver,
    clientUrl: `postgresql://postgres:postgres@${server.getServerConn()}/postgres`,
    entities: [...EVENT_ENTITIES, TestThing],
    pool: { min: 0, max: POOL_MAX },
    allowGlobalContext: false,
    debug: false,
  });
  const conn = orm.em.getConnection();
  for (const sql of [...EVENTS_MIGRATION_SQL, TEST_THING_SQL]) await conn.execute(sql);
  return {
    orm,
    async stop() {
      await orm.close(true);
      await server.stop();
      await db.close();
    },
  };
}
