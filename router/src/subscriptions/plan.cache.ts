import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { GraphQLDataSource, ServiceMap } from '@apollo/gateway';
import { QueryPlanner, type QueryPlan } from '@apollo/query-planner';
import { Supergraph, operationFromDocument, type Schema } from '@apollo/federation-internals';

/** Builds the HTTP data source for one subgraph (the router adds its signed headers there). */
export type BuildService = (name: string, url: string) => GraphQLDataSource;

/**
 * Least-recently-used map of query plans keyed by operation name + printed document, so a
 * subscription sent by thousands of clients is planned once.
 */
export class PlanCache {
  private readonly plans = new Map<string, QueryPlan>();

  constructor(private readonly maxEntries = 1000) {}

  /** The cached plan for `key`, or the one `build` returns (cached unless it throws). */
  getOrBuild(key: string, build: () => QueryPlan): QueryPlan {
    const hit = this.plans.get(key);
    if (hit) {
      // Re-insert so Map order doubles as recency order.
      this.plans.delete(key);
      this.plans.set(key, hit);
      return hit;
    }
    const plan = build();
    this.plans.set(key, plan);
    if (this.plans.size > this.maxEntries) this.plans.delete(this.plans.keys().next().value as string);
    return plan;
  }

  /** Number of cached plans. */
  get size(): number {
    return this.plans.size;
  }
}

/**
 * Everything derived from one supergraph: the planner, the three schemas `executeQueryPlan`
 * needs, one data source per subgraph, subgraph URLs and the plan cache. Replaced as a whole on
 * reload, so an in-flight event keeps the state it started with.
 */
export class SupergraphState {
  /** The federation-internals API schema (for `operationFromDocument`, `executeQueryPlan`). */
  readonly apiSchema: Schema;
  /** The supergraph as a graphql-js schema (join directives included). */
  readonly supergraphSchema: GraphQLSchema;
  /** One data source per subgraph name, from `buildService`. */
  readonly serviceMap: ServiceMap;
  /** HTTP URL per subgraph name, from the supergraph's join__Graph values. */
  readonly urls: Readonly<Record<string, string>>;
  private readonly planner: QueryPlanner;
  private readonly plans: PlanCache;

  /**
   * @param supergraphSdl the composed supergraph SDL (what ApolloGateway loaded)
   * @param apiGraphQLSchema the graphql-js API schema clients validate against
   * @throws when the SDL is not a valid supergraph
   */
  constructor(
    readonly supergraphSdl: string,
    readonly apiGraphQLSchema: GraphQLSchema,
    buildService: BuildService,
    maxPlans = 1000,
  ) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.planner = new QueryPlanner(supergraph);
    this.apiSchema = supergraph.apiSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    const subgraphs = supergraph.subgraphsMetadata();
    this.urls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url]));
    this.serviceMap = Object.fromEntries(subgraphs.map((s) => [s.name, buildService(s.name, s.url)]));
    this.plans = new PlanCache(maxPlans);
  }

  /** The (cached) plan for an operation of the API schema; throws planning errors. */
  plan(document: DocumentNode, operationName: string | undefined, key: string): QueryPlan {
    return this.plans.getOrBuild(key, () =>
      this.planner.buildQueryPlan(operationFromDocument(this.apiSchema, document, { operationName })),
    );
  }
}
