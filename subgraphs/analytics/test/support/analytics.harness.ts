import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  createLogger,
  envelopeOf,
  InProcessBus,
  openDatabase,
  type Database,
  type EventEnvelope,
  type EventPayloads,
  type EventSubscription,
  type EventType,
} from '@supergraph/kit';
import { ENTITIES } from '../../src/entities';
import { readModelConsumer } from '../../src/events/read-model.consumer';
import { MIGRATIONS } from '../../src/migrations';

/** An envelope of `type` as a producer would emit it. */
export function envelope<T extends EventType>(
  type: T,
  payload: EventPayloads[T],
  occurredAt: string,
  id: string = randomUUID(),
): EventEnvelope {
  return envelopeOf(type, payload, { id, occurredAt });
}

/** A real in-memory analytics database fed through the real consumer over an in-process bus. */
export interface Harness {
  db: Database;
  bus: InProcessBus;
  /** A fresh EntityManager outside any request. */
  em(): EntityManager;
  /** Publishes envelopes and waits until the consumer has handled all of them. */
  feed(envelopes: readonly EventEnvelope[]): Promise<void>;
  /** Consumer hook calls so far. */
  hookCalls: { figures: number; cases: number };
  close(): Promise<void>;
}

/** Opens PGlite in memory with the analytics migrations and starts the consumer. */
export async function openHarness(): Promise<Harness> {
  const log = createLogger('analytics-test', 'warn');
  const db = await openDatabase({
    service: 'analytics',
    dataDir: ':memory:',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    log,
  });
  const bus = new InProcessBus({ logger: log, retryBaseMs: 10 });
  const hookCalls = { figures: 0, cases: 0 };
  const consumer = readModelConsumer({ onFigures: () => hookCalls.figures++, onCases: () => hookCalls.cases++ });
  const subscription: EventSubscription = await consumer.subscribe({ orm: db.orm, bus, service: 'analytics' });
  const em = () => db.orm.em.fork({ disableContextResolution: true }) as EntityManager;
  return {
    db,
    bus,
    em,
    hookCalls,
    async feed(envelopes) {
      for (const e of envelopes) await bus.publish(e);
      // The group handles events in order: once a marker published last is processed, all are.
      const marker = envelope(
        'case.updated',
        { caseId: `marker-${randomUUID()}`, changes: [] },
        new Date().toISOString(),
      );
      await bus.publish(marker);
      for (let i = 0; i < 1_000; i++) {
        const rows = await em().execute('select 1 from "processed_event" where "event_id" = ?', [marker.id]);
        if (rows.length > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('the consumer did not process the events within 10 s');
    },
    async close() {
      await subscription.close();
      await bus.close();
      await db.close();
    },
  };
}
