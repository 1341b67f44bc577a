import { print, type DocumentNode } from 'graphql';

/** What scenarios need from the running topology. */
export interface BenchContext {
  routerUrl: string;
  plainGatewayUrl: string;
  subgraphUrls: Record<string, string>;
  /** An access token of a seeded user, and its id. */
  token: string;
  userId: string;
  /** Signs an identity header for direct subgraph calls. */
  signedHeaders(identity: { userId?: string; role?: 'USER' | 'ADMIN' }): Promise<Record<string, string>>;
  /** Ids of seeded cases (when the cases subgraph is part of the topology). */
  caseIds: string[];
}

/** A load scenario: the same operation sent to one or more targets. */
export interface Scenario {
  name: string;
  description: string;
  /** Subgraphs it needs; skipped (and said so) when one is not in the topology. */
  needs: string[];
  /** The subgraphs whose SQL statements per operation are reported. */
  sqlFrom: string[];
  operation: DocumentNode;
  variables(ctx: BenchContext): Record<string, unknown>;
  /** Whether to also measure the owning subgraph directly and the plain gateway. */
  compareDirect?: string;
  comparePlain?: boolean;
  authenticated: boolean;
}

/** Request body of a scenario. */
export const bodyOf = (s: Scenario, ctx: BenchContext) => JSON.stringify({ query: print(s.operation), variables: s.variables(ctx) });
