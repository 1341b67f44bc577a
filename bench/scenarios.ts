import { print, type DocumentNode } from 'graphql';
import type { Sessions } from './seed';

/** What scenarios need from the running topology and the seed. */
export interface BenchContext {
  routerUrl: string;
  subgraphUrls: Record<string, string>;
  /** The seeded users, signed in. */
  sessions: Sessions;
  /** Ids of seeded cases (when the cases subgraph is part of the topology). */
  caseIds: string[];
  /** Cursors of the seeded `cases` list, in list order. */
  caseCursors: string[];
}

/**
 * How a scenario's requests relate: `identical` sends one request over and over (what a gateway
 * may collapse or cache), `distinct` rotates over many different requests that nothing can
 * collapse, `mutation` changes data with every request.
 */
export type ScenarioKind = 'identical' | 'distinct' | 'mutation';

/** One request of a scenario: the operation's variables, and the seeded user who sends it (none: anonymous). */
export interface BenchRequest {
  variables: Record<string, unknown>;
  /** Index into the seeded users. */
  user?: number;
}

/** A load scenario: one operation sent to every compared target with the same requests. */
export interface Scenario {
  /** Short name for BENCH_SCENARIOS. */
  id: string;
  name: string;
  kind: ScenarioKind;
  description: string;
  /** Subgraphs it needs; skipped (and said so) when one is not in the topology. */
  needs: string[];
  /** The subgraphs whose SQL statements per operation are reported. */
  sqlFrom: string[];
  operation: DocumentNode;
  /** The requests, sent in rotation (one for an identical scenario). */
  requests(ctx: BenchContext): BenchRequest[];
  /** The subgraph that answers the operation alone, measured directly too (single-subgraph queries). */
  compareDirect?: string;
  /** Whether Hive Gateway and the plain gateway are measured too. */
  comparePeers: boolean;
}

/** The JSON body of one request of a scenario. */
export const bodyOf = (s: Scenario, request: BenchRequest): string =>
  JSON.stringify({ query: print(s.operation), variables: request.variables });
