import type { MigrationObject } from '@mikro-orm/core';
import type { Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Database } from '../db/database';
import type { Consumer, Emit, EventBus } from '../events';
import type { Logger } from '../logging/logger';
import type { ServiceMetrics } from '../metrics/metrics';
import type { LivePubSub, PubSubOptions } from '../pubsub';
import type { CreateLoaders } from '../server/context';
import type { SubgraphConfig } from './subgraph.config';

/** What the kit opens for a subgraph before calling its declaration; all of it is the kit's to close. */
export interface SubgraphDeps<C extends SubgraphConfig = SubgraphConfig> {
  config: C;
  /** The service's logger (`service` field set); parts take `log.child({ component })`. */
  log: Logger;
  metrics: ServiceMetrics;
  /** The service's own database, migrated. */
  db: Database;
  /** The event bus (Redis Streams, or in-process in the embedded default). */
  bus: EventBus;
  /** Records an event of this service (the producer) in a caller's unit of work. */
  emit: Emit;
}

/** The deps of a subgraph that serves live topics: also its pub/sub (Redis, or in-process). */
export interface LiveSubgraphDeps<C extends SubgraphConfig = SubgraphConfig> extends SubgraphDeps<C> {
  pubsub: LivePubSub;
}

/**
 * Long-lived work a subgraph declares (a scheduler, a dispatcher) or a connection it opened
 * itself. The kit starts it once the server listens and stops it when the service stops or its
 * start fails, whether it was started or not: `stop()` must be safe before `start()`.
 */
export interface Worker {
  /** For logs: what failed to stop. */
  readonly name: string;
  start?(): void | Promise<void>;
  stop(): Promise<void>;
}

/** What a subgraph is, given its deps: the kit serves it and runs its background parts. */
export interface SubgraphDeclaration<L> {
  schema: GraphQLSchema | Promise<GraphQLSchema>;
  createLoaders: CreateLoaders<L>;
  /** Public routes besides GraphQL (a JWKS document, media, pages), mounted before it. */
  routes?(app: Express): void;
  /** Reference data the service needs on every start, written before it listens; idempotent. */
  prepare?(): Promise<void>;
  /** Demo data, only when the config's `seed` is on; idempotent. Runs after `prepare`. */
  seed?(): Promise<void>;
  /** Started after the server (after the workers), closed first on stop. */
  consumers?: readonly Consumer[];
  /** Started in order after the server listens; stopped in reverse order, after the consumers. */
  workers?: readonly Worker[];
}

/** The declaration function: may be async (e.g. to read a key file), opens nothing it does not list as a worker. */
export type Declare<D, L> = (deps: D) => SubgraphDeclaration<L> | Promise<SubgraphDeclaration<L>>;

/** What the kit needs before it can build the deps: the data model, and whether there is a pub/sub. */
export interface SubgraphParts {
  /** Entity classes (the event tables' included). */
  entities: Function[];
  migrations: MigrationObject[];
  /** Present when the subgraph publishes live topics: the kit opens `deps.pubsub` with these settings. */
  pubsub?: Pick<PubSubOptions, 'maxQueue'>;
}

/** A subgraph as {@link defineSubgraph} returns it, run by `runSubgraph(definition, config)`. */
export interface SubgraphDefinition<C extends SubgraphConfig, L> {
  parts: SubgraphParts;
  /** Called with the deps of {@link LiveSubgraphDeps} when `parts.pubsub` is set, of {@link SubgraphDeps} otherwise. */
  declare: Declare<LiveSubgraphDeps<C>, L>;
}

/**
 * Declares a subgraph from its dependencies: the kit opens config, logger, metrics, database
 * (with `parts.migrations`), bus, emitter and, when `parts.pubsub` is set, the pub/sub, then calls
 * `declare(deps)` once and serves what it returns.
 */
export function defineSubgraph<C extends SubgraphConfig, L>(
  parts: SubgraphParts & { pubsub: NonNullable<SubgraphParts['pubsub']> },
  declare: Declare<LiveSubgraphDeps<C>, L>,
): SubgraphDefinition<C, L>;
export function defineSubgraph<C extends SubgraphConfig, L>(
  parts: SubgraphParts,
  declare: Declare<SubgraphDeps<C>, L>,
): SubgraphDefinition<C, L>;
export function defineSubgraph<C extends SubgraphConfig, L>(
  parts: SubgraphParts,
  declare: Declare<LiveSubgraphDeps<C>, L>,
): SubgraphDefinition<C, L> {
  return { parts, declare };
}
