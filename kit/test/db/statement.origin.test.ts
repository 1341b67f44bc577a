import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { executeBound } from '../../src/db/bound-statement';
import { findByIds } from '../../src/db/by-ids';
import type { Database } from '../../src/db/database';
import { ServiceEntityManager, type StatementContext } from '../../src/db/statement.origin';
import { createLogger } from '../../src/logging/logger';
import { memoryDatabase, type SeenStatement } from './memory.fixture';
import { Mood, Owner, Pet } from './pet.fixture';

describe('statements count under the origin their EntityManager names (no log scope needed)', () => {
  let db: Database;
  const seen: SeenStatement[] = [];
  beforeAll(async () => {
    db = await memoryDatabase('origin-test', createLogger('origin-test', 'error'), seen, [Owner, Pet]);
    await db.orm.schema.createSchema(); // the pet tables, without migrations
  });
  afterAll(() => db.close());
  beforeEach(() => void seen.splice(0));

  const requestFork = () => {
    const loggerContext: StatementContext = { origin: 'request', correlationId: 'corr-origin-1' };
    return db.orm.em.fork({ loggerContext });
  };

  it('every statement of a request’s fork: writes, reads, raw SQL, transactions, bound statements, id lookups', async () => {
    const em = requestFork();
    expect(em).toBeInstanceOf(ServiceEntityManager);
    const owner = em.create(Owner, { displayName: 'Ada' });
    const pet = em.create(Pet, { name: 'Rex', age: 3, weight: 4.5, mood: Mood.CALM, bornAt: new Date(), owner });
    await em.flush();
    await em.fork().find(Pet, {});
    await em.execute('select 1');
    await em.transactional(async (tx) => {
      await tx.execute('select 2');
    });
    await executeBound(em, 'select ?::int as "n"', [3]);
    expect(await findByIds(em.fork(), Pet, [pet.id])).toHaveLength(1);

    const sql = seen.map((s) => s.sql.toLowerCase());
    for (const expected of ['begin', 'insert into "owner"', 'insert into "pet"', 'commit', 'from "pet"', 'select 1']) {
      expect(sql.some((s) => s.startsWith(expected) || s.includes(expected))).toBe(true);
    }
    expect(sql.filter((s) => s === 'begin')).toHaveLength(3); // the flush's, transactional's, executeBound's
    expect(seen.filter((s) => s.origin !== 'request')).toEqual([]);
  });

  it('a fork that names no origin leaves it to the caller (the log scope, else background)', async () => {
    const em = db.orm.em.fork();
    await em.execute('select 1');
    await em.transactional((tx) => tx.execute('select 2'));
    expect(seen.length).toBe(4);
    expect(seen.every((s) => s.origin === undefined)).toBe(true);
  });
});
