import { consume, createPubSub, runSubgraph, type RunningService } from '@supergraph/kit';
import { createChannelSenders, type ChannelSenders } from './channels';
import { loadConfig, type NotificationsConfig } from './config';
import { DeliveryWorker } from './delivery/delivery.worker';
import { Dispatcher } from './delivery/dispatcher';
import { ENTITIES } from './entities';
import { PushSubscriptionRow } from './entities/push-subscription.entity';
import { ALERT_EVENTS, MAIN_EVENTS, handleEvent, type ConsumedEnvelope } from './events/event.handlers';
import { createLoaders } from './loaders/notification.loader';
import { MIGRATIONS } from './migrations';
import { createLogger } from '@supergraph/kit';
import { buildSchema } from './schema';
import type { ResolverServices } from './resolvers/services';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/** The main consumer group of this subgraph, and the processed_event consumer of all its lanes. */
export const CONSUMER = 'notifications';
/** The bus group of the alert lane (see ALERT_EVENTS); events still count as processed by CONSUMER. */
export const ALERTS_GROUP = 'notifications-alerts';

/**
 * Starts the notifications subgraph: database, GraphQL (with subscriptions over graphql-ws),
 * the event consumers, and the dispatcher that fans out broadcasts, publishes live events and
 * delivers through the configured channels.
 */
export async function start(config: NotificationsConfig = loadConfig()): Promise<RunningService> {
  const log = createLogger(config.name, config.logLevel).child({ component: 'delivery' });
  const pubsub = createPubSub({
    service: 'notifications',
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
    log,
  });
  // The ORM exists only once the runner opened the database; senders reach it through this.
  let orm: MikroORM | undefined;
  const senders: ChannelSenders = createChannelSenders({
    ...config.channels,
    push: config.channels.push && {
      ...config.channels.push,
      onSubscriptionGone: async (endpoint) => {
        await orm?.em.fork().nativeDelete(PushSubscriptionRow, { endpoint });
      },
    },
  });
  const services: ResolverServices = {
    pubsub,
    senders,
    discordWebhookPrefixes: config.channels.discord?.allowedWebhookPrefixes ?? [],
    allowInsecurePushEndpoints: config.channels.push?.allowInsecureEndpoints ?? false,
  };
  try {
    return await runSubgraph(
      {
        entities: ENTITIES,
        migrations: MIGRATIONS,
        buildSchema: () => buildSchema(services),
        createLoaders,
        async background({ db, bus, log: serviceLog }) {
          orm = db.orm;
          const worker = new DeliveryWorker({
            orm: db.orm,
            senders,
            retry: config.retry,
            concurrency: config.deliveryConcurrency,
            log: serviceLog.child({ component: 'delivery' }),
          });
          services.worker = worker;
          const dispatcher = new Dispatcher({
            orm: db.orm,
            worker,
            pubsub,
            log: serviceLog.child({ component: 'dispatcher' }),
            pollIntervalMs: config.pollIntervalMs,
          });
          dispatcher.start();
          const handle = (em: EntityManager, envelope: ConsumedEnvelope) =>
            handleEvent(em, envelope, { publicOrigin: config.publicOrigin });
          const main = await consume(db.orm, bus, { consumer: CONSUMER, types: MAIN_EVENTS, handle });
          const alerts = await consume(db.orm, bus, {
            consumer: CONSUMER,
            group: ALERTS_GROUP,
            types: ALERT_EVENTS,
            handle,
          });
          return [() => main.close(), () => alerts.close(), () => dispatcher.stop(), () => pubsub.close()];
        },
      },
      config,
    );
  } catch (err) {
    await pubsub.close();
    throw err;
  }
}
