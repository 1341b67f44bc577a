/**
 * Each subgraph's entry points, imported statically so the same code runs under SWC (scripts),
 * Vite (tests) and compiled JavaScript. Add a subgraph here and in topology.ts.
 */
import type { GraphQLSchema } from 'graphql';
import type { RunningService } from '@supergraph/kit';
import * as usersConfig from '../subgraphs/users/src/config';
import * as usersSchema from '../subgraphs/users/src/schema';
import * as usersServer from '../subgraphs/users/src/server';
import * as casesConfig from '../subgraphs/cases/src/config';
import * as casesSchema from '../subgraphs/cases/src/schema';
import * as casesServer from '../subgraphs/cases/src/server';
import * as notificationsConfig from '../subgraphs/notifications/src/config';
import * as notificationsSchema from '../subgraphs/notifications/src/schema';
import * as notificationsServer from '../subgraphs/notifications/src/server';
import * as plantsConfig from '../subgraphs/plants/src/config';
import * as plantsSchema from '../subgraphs/plants/src/schema';
import * as plantsServer from '../subgraphs/plants/src/server';
import * as analyticsConfig from '../subgraphs/analytics/src/config';
import * as analyticsSchema from '../subgraphs/analytics/src/schema';
import * as analyticsServer from '../subgraphs/analytics/src/server';
import type { SubgraphName } from './topology';

/** How to configure, start and describe one subgraph. */
export interface SubgraphEntry {
  loadConfig(env: NodeJS.ProcessEnv): unknown;
  start(config: unknown): Promise<RunningService>;
  buildSchema(): Promise<GraphQLSchema>;
}

export const SUBGRAPH_ENTRIES: Record<SubgraphName, SubgraphEntry> = {
  users: {
    loadConfig: usersConfig.loadConfig,
    start: usersServer.start as SubgraphEntry['start'],
    buildSchema: () => usersSchema.buildSchema(),
  },
  cases: {
    loadConfig: casesConfig.loadConfig,
    start: casesServer.start as SubgraphEntry['start'],
    buildSchema: () => casesSchema.buildSchema(),
  },
  plants: {
    loadConfig: plantsConfig.loadConfig,
    start: plantsServer.start as SubgraphEntry['start'],
    buildSchema: () => plantsSchema.buildSchema(),
  },
  notifications: {
    loadConfig: notificationsConfig.loadConfig,
    start: notificationsServer.start as SubgraphEntry['start'],
    buildSchema: () => notificationsSchema.buildSchema(),
  },
  analytics: {
    loadConfig: analyticsConfig.loadConfig,
    start: analyticsServer.start as SubgraphEntry['start'],
    buildSchema: () => analyticsSchema.buildSchema(),
  },
};
