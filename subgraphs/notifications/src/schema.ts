import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, InProcessPubSub, type Emit, type RequestContext } from '@supergraph/kit';
import { DISCORD_WEBHOOK_PREFIXES } from './channels';
import type { Notification } from './entities/notification.entity';
import type { NotificationsLoaders } from './loaders/notification.loader';
import { AlertResolver, CaseAlertsResolver } from './resolvers/alert.resolver';
import { BroadcastResolver } from './resolvers/broadcast.resolver';
import { InboxResolver } from './resolvers/inbox.resolver';
import { NotificationResolver } from './resolvers/notification.resolver';
import { PreferencesResolver } from './resolvers/preferences.resolver';
import { RecentAlertsResolver } from './resolvers/recent-alerts.resolver';
import { UserRef } from './types/refs.types';
import { bindLivePubSub, type ResolverServices } from './resolvers/services';

type Ctx = RequestContext<NotificationsLoaders>;

/**
 * The notifications subgraph schema. Without `services` (composition) it gets an in-process
 * pubsub and serves no request; a running service passes its own.
 */
export function buildSchema(services?: ResolverServices): Promise<GraphQLSchema> {
  const pubsub = services?.pubsub ?? new InProcessPubSub();
  bindLivePubSub(pubsub);
  const settings = services ?? {
    discordWebhookPrefixes: [...DISCORD_WEBHOOK_PREFIXES],
    allowInsecurePushEndpoints: false,
  };
  const resolvers = [
    NotificationResolver,
    InboxResolver,
    PreferencesResolver,
    BroadcastResolver,
    AlertResolver,
    CaseAlertsResolver,
    RecentAlertsResolver,
  ] as const;
  const instances = new Map<Function, unknown>([
    [NotificationResolver, new NotificationResolver(services?.emit as Emit)],
    [InboxResolver, new InboxResolver()],
    [PreferencesResolver, new PreferencesResolver(settings)],
    [BroadcastResolver, new BroadcastResolver(services as ResolverServices)],
    [AlertResolver, new AlertResolver()],
    [CaseAlertsResolver, new CaseAlertsResolver()],
    [RecentAlertsResolver, new RecentAlertsResolver()],
  ]);
  return buildFederatedSchema(
    {
      resolvers: [...resolvers],
      container: { get: (cls) => instances.get(cls) },
      pubSub: pubsub,
      // User is reachable only through _entities: list it so its fields are emitted.
      orphanedTypes: [UserRef],
    },
    {
      Notification: {
        // Only the recipient can see a notification, through any path.
        __resolveReference: async (ref: { id: string }, ctx: Ctx): Promise<Notification | null> => {
          const n = await ctx.loaders.notificationById.load(ref.id);
          return n && n.recipientId === ctx.identity.userId ? n : null;
        },
      },
      User: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
      Case: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
    },
  );
}
