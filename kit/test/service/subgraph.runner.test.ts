import { Migration } from '@mikro-orm/migrations';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { EVENT_ENTITIES, EVENTS_MIGRATION_SQL, defineConsumer, type EventEnvelope } from '../../src/events';
import { FEDERATION_LINK } from '../../src/schema/federated-schema';
import { loadSubgraphConfig } from '../../src/service/subgraph.config';
import {
  defineSubgraph,
  type LiveSubgraphDeps,
  type SubgraphDeps,
  type SubgraphParts,
} from '../../src/service/subgraph.definition';
import { runSubgraph } from '../../src/service/subgraph.runner';
import { waitFor } from '../events/support/wait';

class EventTables extends Migration {
  override async up(): Promise<void> {
    for (const sql of EVENTS_MIGRATION_SQL) this.addSql(sql);
  }
}

const PARTS: SubgraphParts = {
  entities: [...EVENT_ENTITIES],
  migrations: [{ name: 'Migration00000000000000_events', class: EventTables }],
};

const config = (seed: boolean) =>
  loadSubgraphConfig('runner-test', 0, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: ':memory:',
    PORT: '0',
    SEED: String(seed),
  });

const schema = () =>
  buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION_LINK}\ntype Query { ping: String }`),
    resolvers: { Query: { ping: () => 'pong' } },
  });

/** True when `url` answers `/health`. */
const answers = (url: string) =>
  fetch(new URL('/health', url)).then(
    (res) => res.ok,
    () => false,
  );

describe('runSubgraph: one declaration from the deps the kit opened', () => {
  it('calls the declaration once, serves it, runs its parts in order and closes them in reverse, the database last', async () => {
    const steps: string[] = [];
    const seen: EventEnvelope[] = [];
    let declared = 0;
    let url = '';
    const definition = defineSubgraph(PARTS, (deps: SubgraphDeps) => {
      declared++;
      return {
        schema: schema(),
        createLoaders: () => ({}),
        prepare: async () => void steps.push('prepare'),
        seed: async () => void steps.push('seed'),
        workers: [
          {
            name: 'first',
            start: () => void steps.push('first started'),
            stop: async () => void steps.push(`first stopped, database open: ${await deps.db.ping()}`),
          },
          {
            name: 'second',
            start: () => void steps.push('second started'),
            // Workers stop before the server: it still answers while they wind down.
            stop: async () => void steps.push(`second stopped, serving: ${await answers(url)}`),
          },
        ],
        consumers: [
          defineConsumer({
            types: ['plant.added'],
            handle: async (_em, envelope) => void seen.push(envelope),
          }),
        ],
      };
    });

    const running = await runSubgraph(definition, config(true));
    url = running.url;
    expect(await answers(url)).toBe(true);
    await running.deps.db.orm.em.fork().transactional(async (em) => {
      running.deps.emit(em, 'plant.added', { plantId: 'p1', ownerId: 'u1', speciesId: 's1' }, { correlationId: 'c1' });
    });
    await waitFor('the consumer to receive the event', () => seen.length === 1);
    await running.stop();

    expect(declared).toBe(1);
    expect(seen.map((e) => [e.type, e.producer, e.correlationId])).toEqual([['plant.added', 'runner-test', 'c1']]);
    expect(steps).toEqual([
      'prepare',
      'seed',
      'first started',
      'second started',
      'second stopped, serving: true',
      'first stopped, database open: true',
    ]);
    expect(await running.deps.db.ping()).toBe(false);
    expect(await answers(url)).toBe(false);
  });

  it('skips the seed without SEED and gives a live subgraph its pub/sub, closed on stop', async () => {
    let seeded = 0;
    let live: AsyncIterableIterator<unknown> | undefined;
    const definition = defineSubgraph({ ...PARTS, pubsub: { maxQueue: 10 } }, ({ pubsub }: LiveSubgraphDeps) => {
      live = pubsub.subscribe('topic');
      return { schema: schema(), createLoaders: () => ({}), seed: async () => void seeded++ };
    });
    const running = await runSubgraph(definition, config(false));
    await running.stop();
    expect(seeded).toBe(0);
    expect(await live!.next()).toEqual({ done: true, value: undefined });
  });

  it('closes everything it opened when the start fails, workers included though never started', async () => {
    let deps: SubgraphDeps | undefined;
    const calls = { start: 0, stop: 0 };
    const definition = defineSubgraph(PARTS, (d: SubgraphDeps) => {
      deps = d;
      return {
        schema: schema(),
        createLoaders: () => ({}),
        seed: () => Promise.reject(new Error('seed failed')),
        workers: [{ name: 'w', start: () => void calls.start++, stop: async () => void calls.stop++ }],
      };
    });
    await expect(runSubgraph(definition, config(true))).rejects.toThrow('seed failed');
    expect(calls).toEqual({ start: 0, stop: 1 });
    expect(await deps!.db.ping()).toBe(false);
  });
});
