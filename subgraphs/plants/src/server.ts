import { defineSubgraph, runSubgraph, type SubgraphDeps } from '@supergraph/kit';
import { loadConfig, type PlantsConfig } from './config';
import { ENTITIES } from './entities';
import { knownUserConsumer } from './events/known-user.consumer';
import { createLoaders } from './loaders/plant.loader';
import { MIGRATIONS } from './migrations';
import { ReminderScheduler } from './reminders/reminder.scheduler';
import { buildSchema } from './schema';
import { ensureSpeciesCatalog } from './seed/species.catalog';

/**
 * The plants subgraph: the species catalog (written on every start), GraphQL on `/graphql`, the
 * watering-reminder scheduler and the consumer of users' events (which plants the demo gardens of
 * the demo accounts when SEED is on).
 */
export const plants = defineSubgraph(
  { entities: ENTITIES, migrations: MIGRATIONS },
  ({ config, db, log, emit }: SubgraphDeps<PlantsConfig>) => ({
    schema: buildSchema({ emit }),
    createLoaders,
    async prepare() {
      const added = await ensureSpeciesCatalog(db.orm.em.fork());
      if (added > 0) log.debug({ added }, 'species catalog seeded');
    },
    workers: [
      new ReminderScheduler(db.orm, {
        intervalMs: config.reminderIntervalMs,
        batchSize: config.reminderBatchSize,
        log: log.child({ component: 'reminders' }),
        emit,
      }),
    ],
    consumers: [knownUserConsumer({ seed: config.seed, emit, log: log.child({ component: 'users-consumer' }) })],
  }),
);

/** Starts the plants subgraph. */
export const start = (config: PlantsConfig = loadConfig()) => runSubgraph(plants, config);
