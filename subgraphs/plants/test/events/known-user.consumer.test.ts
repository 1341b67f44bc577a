import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  envelopeOf,
  InProcessBus,
  createLogger,
  emitterOf,
  type EventEnvelope,
  type EventSubscription,
} from '@supergraph/kit';
import { knownUserConsumer } from '../../src/events/known-user.consumer';
import { DEMO_GARDENS } from '../../src/seed/demo-garden.data';
import { ensureSpeciesCatalog } from '../../src/seed/species.catalog';
import { openTestDatabases, type TestDatabases } from '../support/plants-db';

const log = createLogger('plants', 'warn');

function envelope(
  type: 'user.registered' | 'user.updated',
  userId: string,
  email: string,
  displayName: string,
): EventEnvelope {
  return type === 'user.registered'
    ? envelopeOf(type, { userId, email, displayName })
    : envelopeOf(type, { userId, email, displayName, phone: null, role: 'USER' });
}

describe('known-user consumer', () => {
  let dbs: TestDatabases;
  let bus: InProcessBus;
  let sub: EventSubscription;
  const sql = <T = Record<string, unknown>>(q: string, p: unknown[] = []) =>
    dbs.replicas[0].orm.em.fork().execute<T[]>(q, p);
  const count = async (q: string, p: unknown[] = []) => Number((await sql<{ n: number }>(q, p))[0]!.n);
  const until = async (check: () => Promise<boolean>) => {
    const deadline = Date.now() + 10_000;
    while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  };

  beforeAll(async () => {
    dbs = await openTestDatabases('pglite');
    await ensureSpeciesCatalog(dbs.replicas[0].orm.em.fork());
    bus = new InProcessBus({ logger: log });
    const consumer = knownUserConsumer({ seed: true, emit: emitterOf('plants'), log });
    sub = await consumer.subscribe({ orm: dbs.replicas[0].orm, bus, service: 'plants' });
  });
  afterAll(async () => {
    await sub?.close();
    await bus?.close();
    await dbs?.close();
  });

  it('keeps known_user current and plants a demo garden once, however often the user is announced', async () => {
    const ana = randomUUID();
    const registered = envelope('user.registered', ana, 'ana@example.com', 'Ana Souza');
    await bus.publish(registered);
    await bus.publish(registered); // redelivery: absorbed by processed_event
    await bus.publish(envelope('user.updated', ana, 'ana@example.com', 'Ana S.'));
    await until(
      async () => (await count(`select count(*)::int as n from processed_event where consumer = 'plants'`)) === 2,
    );
    expect(await sql('select email, display_name from known_user where id = ?', [ana])).toEqual([
      { email: 'ana@example.com', display_name: 'Ana S.' },
    ]);
    const garden = DEMO_GARDENS['ana@example.com']!;
    expect(await count('select count(*)::int as n from plant where owner_id = ?', [ana])).toBe(garden.length);
    expect(
      await count('select count(*)::int as n from watering w join plant p on p.id = w.plant_id where p.owner_id = ?', [
        ana,
      ]),
    ).toBeGreaterThanOrEqual(garden.length * 5);
    expect(
      await count(
        'select count(*)::int as n from growth_entry g join plant p on p.id = g.plant_id where p.owner_id = ?',
        [ana],
      ),
    ).toBe(garden.reduce((n, p) => n + p.growth.length, 0));
    expect(
      await count(
        `select count(*)::int as n from outbox_event where type = 'plant.added' and payload->>'ownerId' = ?`,
        [ana],
      ),
    ).toBe(garden.length);
    // Some demo plants are overdue, so the reminder scheduler has something to show.
    expect(
      await count('select count(*)::int as n from plant where owner_id = ? and next_watering_at < now()', [ana]),
    ).toBeGreaterThan(0);
  });

  it('records other users without planting anything', async () => {
    const someone = randomUUID();
    await bus.publish(envelope('user.registered', someone, 'someone@example.com', 'Someone'));
    await until(async () => (await count('select count(*)::int as n from known_user where id = ?', [someone])) === 1);
    expect(await count('select count(*)::int as n from known_user where id = ?', [someone])).toBe(1);
    expect(await count('select count(*)::int as n from plant where owner_id = ?', [someone])).toBe(0);
  });
});
