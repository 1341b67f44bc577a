/** The shared kit: what every subgraph (and the router) does the same way, written once. */
import 'reflect-metadata';

export * from './auth/access-token.claims';
export * from './auth/identity';
export * from './auth/revocation.store';
export * from './cache/lru.cache';
export * from './config/env';
export * from './db/database';
export * from './db/embedded-postgres';
export * from './db/bound-statement';
export * from './errors/errors';
export * from './logging/logger';
export * from './metrics/metrics';
export * from './pagination/connection';
export * from './pubsub';
export * from './schema/federated-schema';
export * from './schema/scalars';
// Named, so the GraphQL class wins over the events' structurally identical `GeoPoint` interface.
export { GeoCircleInput, GeoPoint, GeoPointInput } from './schema/geo.types';
export * from './telemetry/tracing';
export * from './server/context';
export * from './server/graphql.handler';
export * from './server/http';
export * from './server/in-flight';
export * from './server/json.errors';
export * from './server/operation.kind';
export * from './server/input.plugin';
export { isGraphqlPath } from './server/subgraph.graphql';
export * from './server/subgraph.server';
export { openSubscriptions } from './server/subscriptions.server';
export { openBus, type BusHandle } from './service/event-backbone';
export * from './service/process';
export * from './service/subgraph.config';
export * from './service/subgraph.runner';
export * from './validation/validate';
export * from './validation/input.check';
export * from './validation/input.rules';
export * from './events';
