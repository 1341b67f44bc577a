import { defineSubgraph, runSubgraph, type LiveSubgraphDeps } from '@supergraph/kit';
import { createChannelSenders } from './channels';
import { loadConfig, type NotificationsConfig } from './config';
import { DeliveryWorker } from './delivery/delivery.worker';
import { Dispatcher } from './delivery/dispatcher';
import { ENTITIES } from './entities';
import { PushSubscriptionRow } from './entities/push-subscription.entity';
import { alertConsumer } from './events/alert.consumer';
import { notificationConsumer } from './events/notification.consumer';
import { createLoaders } from './loaders/notification.loader';
import { MIGRATIONS } from './migrations';
import { buildSchema } from './schema';

/**
 * The notifications subgraph: GraphQL (with subscriptions over graphql-ws), the consumers of the
 * main and the alert lane, and the dispatcher that fans out broadcasts, publishes live events and
 * delivers through the configured channels.
 */
export const notifications = defineSubgraph(
  { entities: ENTITIES, migrations: MIGRATIONS, pubsub: {} },
  ({ config, db, log, emit, pubsub }: LiveSubgraphDeps<NotificationsConfig>) => {
    const senders = createChannelSenders({
      ...config.channels,
      push: config.channels.push && {
        ...config.channels.push,
        onSubscriptionGone: async (endpoint) => {
          await db.orm.em.fork().nativeDelete(PushSubscriptionRow, { endpoint });
        },
      },
    });
    const worker = new DeliveryWorker({
      orm: db.orm,
      senders,
      retry: config.retry,
      concurrency: config.deliveryConcurrency,
      log: log.child({ component: 'delivery' }),
      emit,
    });
    const dispatcher = new Dispatcher({
      orm: db.orm,
      worker,
      pubsub,
      log: log.child({ component: 'dispatcher' }),
      pollIntervalMs: config.pollIntervalMs,
    });
    return {
      schema: buildSchema({
        pubsub,
        worker,
        emit,
        discordWebhookPrefixes: config.channels.discord?.allowedWebhookPrefixes ?? [],
        allowInsecurePushEndpoints: config.channels.push?.allowInsecureEndpoints ?? false,
      }),
      createLoaders,
      workers: [dispatcher],
      consumers: [notificationConsumer(config), alertConsumer(config)],
    };
  },
);

/** Starts the notifications subgraph. */
export const start = (config: NotificationsConfig = loadConfig()) => runSubgraph(notifications, config);
