import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, type MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hydrateRows, markQueryOnly, readOnlyRows } from '../../src/db/read-only';
import { Mood, Owner, Pet, startPetStore, type PetStore } from './pet.fixture';

/** A flat entity: scalars of every kind, its pet as a key (`mapToPk`), a getter of its class. */
@Entity({ tableName: 'visit' })
class Visit {
  [OptionalProps]?: 'endsAt' | 'paid';
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @ManyToOne(() => Pet, { mapToPk: true, fieldName: 'pet_id' }) petId!: string;
  @Property({ type: 'timestamptz', fieldName: 'starts_at' }) startsAt!: Date;
  @Property({ type: 'smallint' }) hours!: number;
  @Property({ type: 'double' }) price!: number;
  @Property({ type: 'boolean', default: false }) paid: boolean = false;
  @Property({ type: 'json', nullable: true }) notes: string[] | null = null;
  @Property({ type: 'text', nullable: true }) remark: string | null = null;

  get endsAt(): Date {
    return new Date(this.startsAt.getTime() + this.hours * 3_600_000);
  }
}

describe('readOnlyRows', () => {
  let store: PetStore;
  let orm: MikroORM;
  const rows = async (em: EntityManager, table: string) =>
    em.getConnection().execute<Record<string, unknown>[]>(`select * from "${table}" order by "id"`);

  beforeAll(async () => {
    store = await startPetStore([Owner, Pet, Visit]);
    orm = store.orm;
    const em = orm.em.fork();
    const owner = em.create(Owner, { displayName: 'Ada' });
    const pet = em.create(Pet, { name: 'Rex', age: 3, weight: 4.5, mood: Mood.CALM, bornAt: new Date(), owner });
    for (let i = 0; i < 3; i++)
      em.create(Visit, {
        petId: pet.id,
        startsAt: new Date(Date.UTC(2026, 0, i + 1, 9)),
        hours: i + 1,
        price: 12.5 * (i + 1),
        paid: i === 1,
        notes: i ? ['walk', `v${i}`] : null,
        remark: i ? null : "O'Neil's",
      });
    await em.flush();
  });
  afterAll(() => store.close());

  it('gives the properties and values em.map gives, as instances of the class', async () => {
    const em = orm.em.fork() as EntityManager;
    const raw = await rows(em, 'visit');
    const read = readOnlyRows(em, Visit, raw);
    const mapped = raw.map((row) => orm.em.fork().map(Visit, row));
    expect(read).toHaveLength(3);
    for (const [i, v] of read.entries()) {
      const m = mapped[i]!;
      expect(v).toBeInstanceOf(Visit);
      for (const key of ['id', 'petId', 'startsAt', 'hours', 'price', 'paid', 'notes', 'remark', 'endsAt'] as const)
        expect(v[key], key).toEqual(m[key]);
      expect(v.startsAt).toBeInstanceOf(Date);
      expect(typeof v.price).toBe('number');
      expect(typeof v.paid).toBe('boolean');
    }
    expect(read.filter((v) => v.paid)).toHaveLength(1);
  });

  it('leaves the unit of work alone: nothing in the identity map, a change never flushed', async () => {
    const em = orm.em.fork() as EntityManager;
    const [first] = readOnlyRows(em, Visit, await rows(em, 'visit'));
    expect(em.getUnitOfWork().getIdentityMap().values()).toHaveLength(0);
    const found = await em.findOneOrFail(Visit, first!.id);
    expect(found).not.toBe(first);
    first!.hours = 99;
    const before = store.statements.length;
    await em.flush();
    expect(store.statements.slice(before).filter((line) => /update/i.test(line))).toEqual([]);
    expect((await orm.em.fork().findOneOrFail(Visit, first!.id)).hours).not.toBe(99);
  });

  it('hydrateRows: read-only in a query, managed otherwise and for an entity with relations', async () => {
    const inQuery = orm.em.fork() as EntityManager;
    markQueryOnly(inQuery);
    const [read] = hydrateRows(inQuery, Visit, await rows(inQuery, 'visit'));
    expect(read).toBeInstanceOf(Visit);
    expect(inQuery.getUnitOfWork().getById(Visit.name, read!.id)).toBeUndefined();
    const [pet] = hydrateRows(inQuery, Pet, await rows(inQuery, 'pet'));
    expect(inQuery.getUnitOfWork().getById(Pet.name, pet!.id)).toBe(pet);
    const inMutation = orm.em.fork() as EntityManager;
    const [managed] = hydrateRows(inMutation, Visit, await rows(inMutation, 'visit'));
    expect(inMutation.getUnitOfWork().getById(Visit.name, managed!.id)).toBe(managed);
  });

  it('refuses an entity with a relation it would have to build', async () => {
    const em = orm.em.fork() as EntityManager;
    expect(() => readOnlyRows(em, Pet, [])).toThrow(/Pet\.owner is not a scalar/);
  });
});
