import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, emitterOf } from '@supergraph/kit';
import { ReminderScheduler } from '../../src/reminders/reminder.scheduler';
import { ensureSpeciesCatalog } from '../../src/seed/species.catalog';
import { BACKENDS, openTestDatabases, type TestDatabases } from '../support/plants-db';

const log = createLogger('plants', 'warn');
const DAY_MS = 86_400_000;

describe.each(BACKENDS)('watering reminders on %s', (backend) => {
  let dbs: TestDatabases;
  let speciesId: string;
  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
    dbs.replicas[0].orm.em.fork().getConnection().execute<T[]>(query, params);
  const scheduler = (i: 0 | 1, batchSize = 4) =>
    new ReminderScheduler(dbs.replicas[i].orm, { intervalMs: 20, batchSize, log, emit: emitterOf('plants') });
  const dueEvents = async () =>
    sql<{ plant_id: string; due_at: string }>(
      `select payload->>'plantId' as plant_id, payload->>'dueAt' as due_at from outbox_event where type = 'plant.watering_due'`,
    );
  const addPlant = async (nextWateringAt: Date) => {
    const id = randomUUID();
    await sql(
      `insert into plant (id, owner_id, species_id, nickname, next_watering_at, created_at, updated_at) values (?, ?, ?, ?, ?, now(), now())`,
      [id, randomUUID(), speciesId, `Plant ${id.slice(0, 6)}`, nextWateringAt],
    );
    return id;
  };

  beforeAll(async () => {
    dbs = await openTestDatabases(backend);
    await ensureSpeciesCatalog(dbs.replicas[0].orm.em.fork());
    speciesId = (await sql<{ id: string }>('select id from plant_species limit 1'))[0]!.id;
  });
  afterAll(async () => dbs?.close());

  it('emits exactly one plant.watering_due per overdue plant with two schedulers running concurrently', async () => {
    const now = Date.now();
    const overdue = await Promise.all(
      Array.from({ length: 30 }, (_, i) => addPlant(new Date(now - (i + 1) * 3_600_000))),
    );
    await Promise.all(Array.from({ length: 5 }, (_, i) => addPlant(new Date(now + (i + 1) * DAY_MS))));
    const a = scheduler(0);
    const b = scheduler(1);
    const emitted = (await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()])).reduce(
      (x, y) => x + y,
      0,
    );
    const events = await dueEvents();
    expect(emitted).toBe(30);
    expect(events).toHaveLength(30);
    expect(new Set(events.map((e) => e.plant_id))).toEqual(new Set(overdue));
    // Still unwatered: the same due date is never reminded again.
    expect((await Promise.all([a.runOnce(), b.runOnce()])).reduce((x, y) => x + y, 0)).toBe(0);
    expect(await dueEvents()).toHaveLength(30);
    const reminders = await sql<{ n: string }>('select count(*)::int as n from watering_reminder');
    expect(Number(reminders[0]!.n)).toBe(30);
  });

  it('reminds again for the next due date, and the unique (plant, due date) pair blocks a duplicate even without the lock', async () => {
    const before = (await dueEvents()).length;
    const id = await addPlant(new Date(Date.now() - 60_000));
    const a = scheduler(0);
    expect(await a.runOnce()).toBe(1);
    // Watered and overdue again: a new due date, a new reminder.
    const nextDue = new Date(Date.now() - 1_000);
    await sql('update plant set last_watered_at = ?, next_watering_at = ? where id = ?', [
      new Date(nextDue.getTime() - DAY_MS),
      nextDue,
      id,
    ]);
    expect(await Promise.all([a.runOnce(), scheduler(1).runOnce()]).then((n) => n[0]! + n[1]!)).toBe(1);
    const mine = (await dueEvents()).filter((e) => e.plant_id === id);
    expect(mine.map((e) => e.due_at).sort()).toHaveLength(2);
    expect(mine.map((e) => e.due_at)).toContain(nextDue.toISOString());
    // A reminder row written by another replica between its snapshot and ours makes the insert a no-op.
    const raced = await addPlant(new Date(Date.now() - 5_000));
    await sql(
      'insert into watering_reminder (id, plant_id, due_at, sent_at) select ?, id, next_watering_at, now() from plant where id = ?',
      [randomUUID(), raced],
    );
    expect(await a.runOnce()).toBe(0);
    expect((await dueEvents()).length).toBe(before + 2);
  });

  it('runs on its interval and picks up, after a restart, what came due while it was stopped', async () => {
    const before = (await dueEvents()).length;
    const first = [scheduler(0, 100), scheduler(1, 100)];
    first.forEach((s) => s.start());
    await Promise.all(first.map((s) => s.stop()));
    const ids = await Promise.all([1, 2, 3].map((h) => addPlant(new Date(Date.now() - h * 60_000))));
    const restarted = [scheduler(0, 100), scheduler(1, 100)];
    restarted.forEach((s) => s.start());
    try {
      const deadline = Date.now() + 10_000;
      while ((await dueEvents()).length < before + 3 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 25));
    } finally {
      await Promise.all(restarted.map((s) => s.stop()));
    }
    const events = await dueEvents();
    expect(events).toHaveLength(before + 3);
    expect(ids.every((id) => events.filter((e) => e.plant_id === id).length === 1)).toBe(true);
  });
});
