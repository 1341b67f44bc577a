/**
 * Each subgraph's entry points, imported statically so the same code runs under SWC (scripts),
 * Vite (tests) and compiled JavaScript. Add a subgraph here and in topology.ts.
 */
import type { GraphQLSchema } from 'graphql';
import type { RunningService } from '@supergraph/kit';
import * as usersConfig from '../subgraphs/users/src/config';
import * as usersSchema from '../subgraphs/users/src/schema';
import * as usersServer from '../subgraphs/users/src/server';
import type { SubgraphName } from './topology';

/** How to configure, start and describe one subgraph. */
export interface SubgraphEntry {
  loadConfig(env: NodeJS.ProcessEnv): unknown;
  start(config: unknown): Promise<RunningService>;
  buildSchema(): Promise<GraphQLSchema>;
}

export const SUBGRAPH_ENTRIES: Record<SubgraphName, SubgraphEntry> = {
  users: { loadConfig: usersConfig.loadConfig, start: usersServer.start as SubgraphEntry['start'], buildSchema: () => usersSchema.buildSchema() },
};
