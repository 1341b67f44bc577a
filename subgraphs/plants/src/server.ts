import { runSubgraph, type RunningService } from '@supergraph/kit';
import { loadConfig, type PlantsConfig } from './config';
import { ENTITIES } from './entities';
import { startUserConsumer } from './events/user.consumer';
import { createLoaders } from './loaders/plant.loader';
import { MIGRATIONS } from './migrations';
import { ReminderScheduler } from './reminders/reminder.scheduler';
import { buildSchema } from './schema';
import { ensureSpeciesCatalog } from './seed/species.catalog';

/**
 * Starts the plants subgraph: database with the species catalog (always), GraphQL on `/graphql`,
 * the watering-reminder scheduler and the consumer of users' events (which plants the demo
 * gardens of the demo accounts when SEED is on).
 */
export async function start(config: PlantsConfig = loadConfig()): Promise<RunningService> {
  return runSubgraph(
    {
      entities: ENTITIES,
      migrations: MIGRATIONS,
      buildSchema,
      createLoaders,
      async background({ db, bus, log }) {
        const added = await ensureSpeciesCatalog(db.orm.em.fork());
        if (added > 0) log.info({ added }, 'species catalog seeded');
        const consumer = await startUserConsumer(db.orm, bus, {
          seedDemo: config.seed,
          log: log.child({ component: 'users-consumer' }),
        });
        const scheduler = new ReminderScheduler(db.orm, {
          intervalMs: config.reminderIntervalMs,
          batchSize: config.reminderBatchSize,
          log: log.child({ component: 'reminders' }),
        });
        scheduler.start();
        return [() => scheduler.stop(), () => consumer.close()];
      },
    },
    config,
  );
}
