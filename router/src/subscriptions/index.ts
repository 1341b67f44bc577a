/**
 * Federated subscriptions for the router: `SubscriptionEngine` (planning, shared upstreams,
 * bounded queues, auth hooks, reload) and `attachSubscriptionEngine` (graphql-ws on a `ws` server).
 */
export { SubscriptionEngine } from './subscription.engine';
export type { SubscriptionEngineOptions, SubscriptionStats } from './engine.options';
export { attachSubscriptionEngine, type SubscriptionServerHandle } from './ws.server';
export { CLOSE_CODES, SUBSCRIPTION_ERROR_CODES, type SubscriptionErrorCode } from './errors';
