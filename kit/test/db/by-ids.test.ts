import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findByIds } from '../../src/db/by-ids';
import { markQueryOnly } from '../../src/db/read-only';
import { Mood, Owner, Pet, startPetStore, type PetStore } from './pet.fixture';

describe('findByIds', () => {
  let store: PetStore;
  let orm: MikroORM;
  let statements: string[];
  const ids: string[] = [];
  beforeAll(async () => {
    store = await startPetStore([Owner, Pet]);
    ({ orm, statements } = store);
    const em = orm.em.fork();
    const owner = em.create(Owner, { displayName: 'Ada' });
    for (let i = 0; i < 3; i++) {
      const pet = em.create(Pet, {
        name: `pet ${i}`,
        age: i + 1,
        weight: 4.25 + i,
        mood: i % 2 ? Mood.LOUD : Mood.CALM,
        bornAt: new Date(Date.UTC(2020, i, 1)),
        tags: i ? ['a', `t${i}`] : undefined,
        note: i ? undefined : "it's O'Neil's",
        owner,
      });
      ids.push(pet.id);
    }
    await em.flush();
  });
  afterAll(() => store.close());

  const plain = (pets: Pet[]) =>
    pets
      .map((p) => ({ ...p, owner: p.owner.id }))
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((p) => JSON.stringify(p));

  it('answers what em.find answers, types converted, relations as references, in one statement', async () => {
    const expected = await orm.em.fork().find(Pet, { id: { $in: ids } });
    const em = orm.em.fork() as EntityManager;
    const before = statements.length;
    const found = await findByIds(em, Pet, [ids[2]!, ids[0]!, ids[1]!, randomUUID()]);
    expect(statements.length - before).toBe(1);
    expect(plain(found)).toEqual(plain(expected));
    expect(found.every((p) => p instanceof Pet && p.bornAt instanceof Date)).toBe(true);
    // Merged into the identity map: the same object em.findOne returns afterwards, without SQL.
    const again = await em.findOne(Pet, ids[0]!);
    expect(again).toBe(found.find((p) => p.id === ids[0]));
    expect(statements.length - before).toBe(1);
  });

  it('reads inside the caller’s transaction (sees its uncommitted rows)', async () => {
    await orm.em
      .fork()
      .transactional(async (tx) => {
        const owner = await tx.findOneOrFail(Owner, { displayName: 'Ada' });
        const pet = tx.create(Pet, { name: 'new', age: 1, weight: 1, mood: Mood.CALM, bornAt: new Date(), owner });
        await tx.flush();
        const [found] = await findByIds(tx as EntityManager, Pet, [pet.id]);
        expect(found).toBe(pet);
        throw Object.assign(new Error('roll back'), { rollback: true });
      })
      .catch((err: { rollback?: boolean }) => {
        if (!err.rollback) throw err;
      });
  });

  it('serves concurrent lookups of several callers with one statement, each with its own rows in its own em', async () => {
    const [a, b, c] = [orm.em.fork(), orm.em.fork(), orm.em.fork()] as EntityManager[];
    const before = statements.length;
    const [forA, forB, forC] = await Promise.all([
      findByIds(a, Pet, [ids[0]!]),
      findByIds(b, Pet, [ids[1]!, ids[0]!]),
      findByIds(c, Pet, [randomUUID()]),
    ]);
    expect(statements.length - before).toBe(1);
    expect(forA.map((p) => p.id)).toEqual([ids[0]]);
    expect(forB.map((p) => p.id).sort()).toEqual([ids[0], ids[1]].sort());
    expect(forC).toEqual([]);
    // Hydrated per caller: the same row is a different object in each identity map.
    const inB = forB.find((p) => p.id === ids[0])!;
    expect(inB).not.toBe(forA[0]);
    expect(await a.findOne(Pet, ids[0]!)).toBe(forA[0]);
    expect(await b.findOne(Pet, ids[0]!)).toBe(inB);
  });

  it('keeps a lookup inside a transaction apart from the shared one', async () => {
    const before = statements.length;
    // Side by side, not nested: the embedded database serves one session, so a read outside the
    // transaction waits for it to end.
    const [inTx, outside] = await Promise.all([
      orm.em.fork().transactional((tx) => findByIds(tx as EntityManager, Pet, [ids[0]!])),
      findByIds(orm.em.fork() as EntityManager, Pet, [ids[0]!]),
    ]);
    expect(inTx[0]!.id).toBe(ids[0]);
    expect(outside[0]!.id).toBe(ids[0]);
    expect(statements.filter((line, i) => i >= before && /select \* from "pet"/.test(line))).toHaveLength(2);
  });

  it('lets a lookup that starts after the shared statement was sent have one of its own', async () => {
    const em = orm.em.fork() as EntityManager;
    const before = statements.length;
    await findByIds(em, Pet, [ids[0]!]);
    await findByIds(orm.em.fork() as EntityManager, Pet, [ids[1]!]);
    expect(statements.length - before).toBe(2);
  });

  it('in a query, hydrates a flat entity read-only and keeps an entity with relations managed', async () => {
    const em = orm.em.fork() as EntityManager;
    markQueryOnly(em);
    const ownerId = (await orm.em.fork().findOneOrFail(Owner, { displayName: 'Ada' })).id;
    const [owner] = await findByIds(em, Owner, [ownerId]);
    expect(owner).toBeInstanceOf(Owner);
    expect(owner!.displayName).toBe('Ada');
    expect(em.getUnitOfWork().getById(Owner.name, ownerId)).toBeUndefined();
    const [pet] = await findByIds(em, Pet, [ids[0]!]);
    expect(em.getUnitOfWork().getById(Pet.name, ids[0]!)).toBe(pet);
    // A transaction writes: what it reads stays managed, marked or not.
    await em.transactional(async (tx) => {
      markQueryOnly(tx as EntityManager);
      const [inTx] = await findByIds(tx as EntityManager, Owner, [ownerId]);
      expect(tx.getUnitOfWork().getById(Owner.name, ownerId)).toBe(inTx);
    });
  });

  it('asks nothing for no ids', async () => {
    const before = statements.length;
    expect(await findByIds(orm.em.fork() as EntityManager, Pet, [])).toEqual([]);
    expect(statements.length).toBe(before);
  });
});
