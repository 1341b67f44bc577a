import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consume,
  emitEvent,
  OutboxEvent,
  OutboxRelay,
  ProcessedEvent,
  RedisStreamsBus,
  type EventSubscription,
} from '../../src/events';
import { startTestDatabase, TestThing, type TestDatabase } from './support/database.fixture';
import { PrivateRedis } from './support/redis.fixture';
import { RecordingLogger } from './support/test.logger';
import { waitFor } from './support/wait';

// Runs its own redis-server (never the machine's shared one) so it can crash and restart it.
describe('outbox over Redis Streams while Redis restarts', () => {
  let db: TestDatabase;
  let redis: PrivateRedis;
  let bus: RedisStreamsBus;
  let relay: OutboxRelay;
  let sub: EventSubscription;
  const busLog = new RecordingLogger();
  const relayLog = new RecordingLogger();
  const handled: string[] = [];

  const emit = async (n: number): Promise<string[]> =>
    db.orm.em.fork().transactional(async (em) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        em.persist(Object.assign(new TestThing(), { name: `watered ${i}` }));
        ids.push(
          emitEvent(
            em,
            'plant.watered',
            { plantId: `p${i}`, ownerId: 'u1', wateredAt: new Date().toISOString(), dueAt: null },
            { producer: 'plants' },
          ).id,
        );
      }
      return ids;
    });

  beforeAll(async () => {
    [db, redis] = await Promise.all([startTestDatabase(), PrivateRedis.start()]);
    bus = new RedisStreamsBus({
      redis: redis.url,
      prefix: 'outage',
      claimIdleMs: 200,
      claimIntervalMs: 50,
      blockMs: 50,
      connectWaitMs: 200,
      logger: busLog,
    });
    relay = new OutboxRelay(db.orm, bus, { intervalMs: 30, logger: relayLog });
    sub = await consume(db.orm, bus, {
      consumer: 'notifications',
      types: ['plant.watered'],
      handle: async (_em, e) => void handled.push(e.id),
    });
    relay.start();
  });
  afterAll(async () => {
    await relay?.stop();
    await sub?.close();
    await bus?.close();
    await redis?.down();
    await db?.stop();
  });

  it('keeps events in the outbox while Redis is down and delivers each exactly once after', async () => {
    const before = await emit(1);
    relay.kick();
    await waitFor('delivery before the outage', () => handled.length === 1);

    await redis.down();
    const during = await emit(5);
    relay.kick();
    await waitFor(
      'failed publish attempts',
      async () => (await db.orm.em.fork().count(OutboxEvent, { attempts: { $gt: 0 } })) > 0,
    );
    expect(await relay.backlog()).toBe(5);
    expect(handled).toEqual(before);

    await redis.up();
    await waitFor('backlog drained', async () => (await relay.backlog()) === 0);
    await waitFor('all delivered', () => during.every((id) => handled.includes(id)));
    // One more event after recovery proves the group is reading again, and flushes stragglers.
    const after = await emit(1);
    relay.kick();
    await waitFor('delivery after recovery', () => handled.includes(after[0]));

    const all = [...before, ...during, ...after];
    expect([...handled].sort()).toEqual([...all].sort());
    expect(await db.orm.em.fork().count(ProcessedEvent, { consumer: 'notifications' })).toBe(all.length);
    const failed = await db.orm.em.fork().findOneOrFail(OutboxEvent, { id: during[0] });
    expect(failed.attempts).toBeGreaterThan(0);
    expect(failed.lastError).toMatch(/redis/i);
    expect(relayLog.messages('warn')).toContain('outbox publish failed: will retry');
    expect(busLog.messages('warn')).toContain('consumer group missing: recreating it');
  });
});
