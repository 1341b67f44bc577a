import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Entity, Enum, ManyToOne, MikroORM, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';

/** A pet's mood: an enum column. */
export enum Mood {
  CALM = 'CALM',
  LOUD = 'LOUD',
}

/** A row another table points at. */
@Entity({ tableName: 'owner' })
export class Owner {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'string', length: 50, fieldName: 'display_name' }) displayName!: string;
}

/** An entity with a column of every kind the subgraphs use, and its owner as a reference. */
@Entity({ tableName: 'pet' })
export class Pet {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'text' }) name!: string;
  @Property({ type: 'smallint' }) age!: number;
  @Property({ type: 'double' }) weight!: number;
  @Enum({ items: () => Mood, type: 'string' }) mood!: Mood;
  @Property({ type: 'timestamptz', fieldName: 'born_at' }) bornAt!: Date;
  @Property({ type: 'json', nullable: true }) tags?: string[];
  @Property({ type: 'text', nullable: true }) note?: string;
  @ManyToOne(() => Owner, { ref: true }) owner!: Ref<Owner>;
}

/** An ORM on an embedded database of its own, every statement it runs logged into `statements`. */
export interface PetStore {
  orm: MikroORM;
  statements: string[];
  close(): Promise<void>;
}

/** Starts PGlite behind a socket and MikroORM on it with `entities`, their tables created. */
export async function startPetStore(entities: (new () => object)[]): Promise<PetStore> {
  const pglite = await PGlite.create();
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 6 });
  await server.start();
  const statements: string[] = [];
  const orm = await MikroORM.init({
    driver: PostgreSqlDriver,
    clientUrl: `postgresql://postgres:postgres@${server.getServerConn()}/postgres`,
    entities,
    pool: { min: 0, max: 4 },
    allowGlobalContext: false,
    debug: ['query'],
    logger: (line) => statements.push(line),
  });
  await orm.schema.createSchema();
  return {
    orm,
    statements,
    async close() {
      await orm.close(true);
      await server.stop();
      await pglite.close();
    },
  };
}
