import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitEvent, InProcessBus, type EventEnvelope, type OutboxRelay } from '../../src/events';
import { createLogger } from '../../src/logging/logger';
import { startRelay } from '../../src/service/event-backbone';
import { startTestDatabase, TestThing, type TestDatabase } from './support/database.fixture';
import { RecordingLogger } from './support/test.logger';
import { pause, waitFor } from './support/wait';

const PRODUCER = { producer: 'plants' };
const payload = (n: number) => ({ plantId: `p${n}`, ownerId: 'u1', speciesId: 's1' });

describe('the relay started by a service is kicked by commits that hold new events, and only by those', () => {
  let db: TestDatabase;
  let bus: InProcessBus;
  let relay: OutboxRelay;
  let rounds = 0;
  const seen: EventEnvelope[] = [];
  const em = () => db.orm.em.fork();

  beforeAll(async () => {
    db = await startTestDatabase();
    bus = new InProcessBus({ logger: new RecordingLogger() });
    await bus.subscribe('spy', async (e) => void seen.push(e));
    // Polling every hour: whatever arrives during the test was delivered by a kick.
    relay = startRelay(db.orm, bus, createLogger('kit-test', 'silent'), { intervalMs: 3_600_000 });
    await pause(100); // the start-up round
    const runOnce = relay.runOnce.bind(relay);
    relay.runOnce = () => {
      rounds++;
      return runOnce();
    };
  });
  afterAll(async () => {
    await relay?.stop();
    await bus?.close();
    await db?.stop();
  });

  it('runs no round for commits without events', async () => {
    for (let i = 0; i < 5; i++) {
      await em().transactional(async (tx) => void tx.persist(Object.assign(new TestThing(), { name: `t${i}` })));
    }
    await pause(200);
    expect(rounds).toBe(0);
  });

  it('delivers an event emitted in a transaction right after its commit, in one round', async () => {
    await em().transactional(async (tx) => {
      tx.persist(Object.assign(new TestThing(), { name: 'with event' }));
      emitEvent(tx, 'plant.added', payload(1), PRODUCER);
    });
    await waitFor('the event', () => seen.length === 1);
    await pause(200); // the relay's own commit (marking the row published) must not kick it again
    expect(rounds).toBe(1);
  });

  it('delivers an event flushed without an explicit transaction', async () => {
    const e = em();
    emitEvent(e, 'plant.added', payload(2), PRODUCER);
    await e.flush();
    await waitFor('the event', () => seen.length === 2);
    await pause(200);
    expect(rounds).toBe(2);
    expect(seen.map((s) => (s.payload as { plantId: string }).plantId)).toEqual(['p1', 'p2']);
  });
});
