import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineConsumer, InProcessBus, type EventSubscription } from '../../src/events';
import { createServiceMetrics, type ServiceMetrics } from '../../src/metrics/metrics';
import { envelope } from './support/bus.contract';
import { startTestDatabase, TestThing, type TestDatabase } from './support/database.fixture';
import { RecordingLogger } from './support/test.logger';
import { waitFor } from './support/wait';

describe('events_handled_total', () => {
  let db: TestDatabase;
  let bus: InProcessBus;
  let metrics: ServiceMetrics;
  let sub: EventSubscription;
  const failOnce = new Set<string>();

  /** The counter's value for one consumer, type and outcome (0 when never counted). */
  const handled = async (type: string, outcome: string) =>
    (await metrics.eventsHandled.get()).values.find(
      (v) => v.labels.consumer === 'watering' && v.labels.type === type && v.labels.outcome === outcome,
    )?.value ?? 0;

  beforeAll(async () => {
    db = await startTestDatabase();
    bus = new InProcessBus({ retryBaseMs: 5, logger: new RecordingLogger() });
    metrics = createServiceMetrics('plants');
    const consumer = defineConsumer({
      consumer: 'watering',
      types: ['plant.added', 'plant.removed'],
      handle: async (em, e) => {
        em.persist(Object.assign(new TestThing(), { name: `handled ${e.id}` }));
        if (failOnce.delete(e.id)) throw new Error('downstream hiccup');
      },
    });
    sub = await consumer.subscribe({ orm: db.orm, bus, service: 'plants', metrics });
  });
  afterAll(async () => {
    await sub?.close();
    await bus?.close();
    await db?.stop();
  });

  it('counts each delivery once: ok, duplicate (already processed) and error (then ok on redelivery)', async () => {
    const added = envelope('plant.added', { plantId: 'p1', ownerId: 'u1', speciesId: 's1' });
    await bus.publish(added);
    await waitFor('the first delivery', async () => (await handled('plant.added', 'ok')) === 1);
    await bus.publish(added); // delivered again: already processed
    await waitFor('the second delivery', async () => (await handled('plant.added', 'duplicate')) === 1);

    const removed = envelope('plant.removed', { plantId: 'p1', ownerId: 'u1' });
    failOnce.add(removed.id);
    await bus.publish(removed);
    await waitFor('the redelivery', async () => (await handled('plant.removed', 'ok')) === 1);

    expect(await handled('plant.added', 'ok')).toBe(1);
    expect(await handled('plant.added', 'duplicate')).toBe(1);
    expect(await handled('plant.added', 'error')).toBe(0);
    expect(await handled('plant.removed', 'error')).toBe(1);
    expect(await handled('plant.removed', 'duplicate')).toBe(0);
    // The failed delivery was rolled back: one row per event.
    expect(await db.orm.em.fork().count(TestThing, { name: `handled ${removed.id}` })).toBe(1);
    // Exposed on the service's /metrics with its `service` label, as every kit metric.
    expect(await metrics.registry.metrics()).toMatch(
      /^events_handled_total\{consumer="watering",type="plant\.removed",outcome="error",service="plants"\} 1$/m,
    );
  });
});
