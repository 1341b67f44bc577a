import type { Emit, LivePubSub } from '@supergraph/kit';
import type { DeliveryWorker } from '../delivery/delivery.worker';

/** What resolvers need besides the request context (composition builds the schema without them). */
export interface ResolverServices {
  pubsub: LivePubSub;
  worker: DeliveryWorker;
  emit: Emit;
  /** Prefixes a user's Discord webhook URL must start with. */
  discordWebhookPrefixes: string[];
  /** Accept http:// push endpoints (local push services in tests). */
  allowInsecurePushEndpoints: boolean;
}

let live: LivePubSub | undefined;

/**
 * Binds the pubsub that `@Subscription({ subscribe })` functions use: type-graphql calls them
 * without a resolver instance, so the schema builder binds its pubsub here (one notifications
 * schema serves per process).
 */
export function bindLivePubSub(pubsub: LivePubSub): void {
  live = pubsub;
}

/** The pubsub bound by the last schema build. */
export function livePubSub(): LivePubSub {
  if (!live) throw new Error('notifications: no pubsub bound; build the schema first');
  return live;
}
