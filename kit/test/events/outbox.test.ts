import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consume,
  emitEvent,
  InProcessBus,
  OutboxEvent,
  OutboxRelay,
  ProcessedEvent,
  RedisStreamsBus,
  type DeadLetterSource,
  type EventBus,
  type EventEnvelope,
} from '../../src/events';
import { envelope } from './support/bus.contract';
import { startTestDatabase, TestThing, type TestDatabase } from './support/database.fixture';
import { deleteKeys, SHARED_REDIS_URL } from './support/redis.fixture';
import { RecordingLogger } from './support/test.logger';
import { waitFor } from './support/wait';

const PRODUCER = { producer: 'plants' };

interface BusKind {
  name: string;
  make(prefix: string): EventBus & DeadLetterSource;
}

const KINDS: BusKind[] = [
  {
    name: 'in-process',
    make: () => new InProcessBus({ maxDeliveries: 3, retryBaseMs: 5, logger: new RecordingLogger() }),
  },
  {
    name: 'redis streams',
    make: (prefix) =>
      new RedisStreamsBus({
        redis: SHARED_REDIS_URL,
        prefix,
        maxDeliveries: 3,
        claimIdleMs: 150,
        claimIntervalMs: 50,
        blockMs: 50,
        logger: new RecordingLogger(),
      }),
  },
];

// One database for both buses (PGlite start-up dominates the run time); every test leaves the
// outbox drained, so the relays of one block never see rows of another.
let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => {
  await db?.stop();
});

for (const kind of KINDS) {
  describe(`outbox, relay and consumer over the ${kind.name} bus`, () => {
    const prefix = `test:kit-outbox:${randomUUID()}`;
    let bus: EventBus & DeadLetterSource;
    let relay: OutboxRelay;
    /** Everything a catch-all subscriber received, in order. */
    const seen: EventEnvelope[] = [];

    const outboxCount = (where: object = {}): Promise<number> => db.orm.em.fork().count(OutboxEvent, where);
    /** Publishes a marker and waits for it: everything published before it has arrived by then. */
    const settle = async (): Promise<void> => {
      const marker = envelope('plant.removed', { plantId: `marker-${randomUUID()}`, ownerId: 'test' });
      await bus.publish(marker);
      await waitFor('marker', () => seen.some((e) => e.id === marker.id));
    };

    beforeAll(async () => {
      bus = kind.make(prefix);
      relay = new OutboxRelay(db.orm, bus, { intervalMs: 50, batchSize: 10, logger: new RecordingLogger() });
      await bus.subscribe('spy', async (e) => void seen.push(e));
    });
    afterAll(async () => {
      await relay.stop();
      await bus.close();
      await deleteKeys(SHARED_REDIS_URL, prefix);
    });

    it('writes nothing when the emitting transaction rolls back', async () => {
      let emitted: EventEnvelope | undefined;
      await expect(
        db.orm.em.fork().transactional(async (em) => {
          em.persist(Object.assign(new TestThing(), { name: 'rolled back' }));
          emitted = emitEvent(em, 'plant.added', { plantId: 'p1', ownerId: 'u1', speciesId: 's1' }, PRODUCER);
          await em.flush();
          throw new Error('business rule failed');
        }),
      ).rejects.toThrow('business rule failed');
      expect(await outboxCount({ id: emitted!.id })).toBe(0);
      expect(await db.orm.em.fork().count(TestThing, { name: 'rolled back' })).toBe(0);
    });

    it("only persists: the row appears with the caller's flush, not before", async () => {
      const em = db.orm.em.fork();
      const e = emitEvent(
        em,
        'plant.removed',
        { plantId: 'p2', ownerId: 'u1' },
        { ...PRODUCER, correlationId: 'req-42' },
      );
      expect(await outboxCount({ id: e.id })).toBe(0);
      await em.flush();
      const row = await db.orm.em.fork().findOneOrFail(OutboxEvent, e.id);
      expect(row).toMatchObject({
        type: 'plant.removed',
        version: 1,
        producer: 'plants',
        correlationId: 'req-42',
        publishedAt: null,
        attempts: 0,
      });
      expect(row.payload).toEqual({ plantId: 'p2', ownerId: 'u1' });
      expect(await relay.backlog()).toBe(1);
      expect(await relay.runOnce()).toEqual({ published: 1, failed: false });
      expect(await relay.backlog()).toBe(0);
    });

    it('publishes a committed event exactly once and marks it published', async () => {
      const e = await db.orm.em.fork().transactional(async (em) => {
        em.persist(Object.assign(new TestThing(), { name: 'committed' }));
        return emitEvent(em, 'plant.added', { plantId: 'p3', ownerId: 'u1', speciesId: 's1' }, PRODUCER);
      });
      expect(await relay.runOnce()).toEqual({ published: 1, failed: false });
      expect(await relay.runOnce()).toEqual({ published: 0, failed: false });
      await settle();
      expect(seen.filter((s) => s.id === e.id)).toEqual([e]);
      const row = await db.orm.em.fork().findOneOrFail(OutboxEvent, e.id);
      expect(row.publishedAt).toBeInstanceOf(Date);
    });

    it('publishes in emission order, across transactions and batches, when kicked', async () => {
      const ids: string[] = [];
      for (let t = 0; t < 3; t++) {
        await db.orm.em.fork().transactional(async (em) => {
          for (let i = 0; i < 7; i++)
            ids.push(
              emitEvent(
                em,
                'plant.watered',
                { plantId: `p${t}-${i}`, ownerId: 'u1', wateredAt: new Date().toISOString(), dueAt: null },
                PRODUCER,
              ).id,
            );
        });
      }
      relay.start();
      relay.kick();
      await waitFor('all 21 events', () => ids.every((id) => seen.some((s) => s.id === id)));
      await relay.stop();
      expect(seen.filter((s) => ids.includes(s.id)).map((s) => s.id)).toEqual(ids);
      expect(await relay.backlog()).toBe(0);
    });

    it('keeps the row, counting attempts, when the bus refuses it', async () => {
      const closedBus = new InProcessBus({ logger: new RecordingLogger() });
      await closedBus.close();
      const failing = new OutboxRelay(db.orm, closedBus, { logger: new RecordingLogger() });
      const em = db.orm.em.fork();
      const e = emitEvent(em, 'plant.removed', { plantId: 'p4', ownerId: 'u1' }, PRODUCER);
      await em.flush();
      expect(await failing.runOnce()).toEqual({ published: 0, failed: true });
      expect(await failing.runOnce()).toEqual({ published: 0, failed: true });
      const row = await db.orm.em.fork().findOneOrFail(OutboxEvent, e.id);
      expect(row).toMatchObject({ publishedAt: null, attempts: 2, lastError: 'event bus is closed: cannot publish' });
      expect(await relay.runOnce()).toEqual({ published: 1, failed: false });
      await settle();
      expect(seen.filter((s) => s.id === e.id)).toHaveLength(1);
    });

    it('applies an event once per consumer even when it is delivered twice', async () => {
      const handled: string[] = [];
      const sub = await consume(db.orm, bus, {
        consumer: 'things',
        types: ['plant.added'],
        handle: async (em, e) => {
          handled.push(e.id);
          em.persist(Object.assign(new TestThing(), { name: `from ${e.id}` }));
        },
      });
      const e = envelope('plant.added', { plantId: 'dup', ownerId: 'u1', speciesId: 's1' });
      await bus.publish(e);
      await bus.publish(e);
      await settle();
      await waitFor(
        'processed',
        async () => (await db.orm.em.fork().count(ProcessedEvent, { eventId: e.id, consumer: 'things' })) === 1,
      );
      const later = envelope('plant.added', { plantId: 'after', ownerId: 'u1', speciesId: 's1' });
      await bus.publish(later);
      await waitFor('later event handled', () => handled.includes(later.id));
      expect(handled.filter((id) => id === e.id)).toHaveLength(1);
      expect(await db.orm.em.fork().count(TestThing, { name: `from ${e.id}` })).toBe(1);
      await sub.close();
    });

    it('rolls back a failed handling (nothing recorded) and applies it on redelivery', async () => {
      let calls = 0;
      const e = envelope('plant.removed', { plantId: 'p5', ownerId: 'u1' });
      const sub = await consume(db.orm, bus, {
        consumer: 'flaky',
        handle: async (em, got) => {
          if (got.id !== e.id) return; // a new consumer first catches up on earlier events
          calls++;
          em.persist(Object.assign(new TestThing(), { name: `flaky ${e.id}` }));
          await em.flush();
          if (calls === 1) throw new Error('downstream hiccup');
        },
      });
      await bus.publish(e);
      await waitFor(
        'second attempt',
        async () => (await db.orm.em.fork().count(ProcessedEvent, { eventId: e.id, consumer: 'flaky' })) === 1,
      );
      expect(calls).toBe(2);
      expect(await db.orm.em.fork().count(TestThing, { name: `flaky ${e.id}` })).toBe(1);
      await sub.close();
    });

    it('lets two relays share the outbox without publishing a row twice (SKIP LOCKED)', async () => {
      const other = new OutboxRelay(db.orm, bus, { intervalMs: 20, batchSize: 3, logger: new RecordingLogger() });
      const ids: string[] = [];
      for (let t = 0; t < 8; t++) {
        await db.orm.em.fork().transactional(async (em) => {
          for (let i = 0; i < 5; i++)
            ids.push(
              emitEvent(em, 'plant.added', { plantId: `r${t}-${i}`, ownerId: 'u1', speciesId: 's1' }, PRODUCER).id,
            );
        });
      }
      relay.start();
      other.start();
      await waitFor('backlog drained', async () => (await relay.backlog()) === 0);
      await Promise.all([relay.stop(), other.stop()]);
      await settle();
      const counts = ids.map((id) => seen.filter((s) => s.id === id).length);
      expect(counts).toEqual(ids.map(() => 1));
    });
  });
}
