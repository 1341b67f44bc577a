import type { ApolloGateway, GatewayConfig } from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isObjectType,
  Kind,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Counter, Histogram } from 'prom-client';
import { mergeableOf } from './merged.operation';
import type { RouterContext, SignedDataSource } from './signed.datasource';
import {
  SingleFetchMerger,
  type ClientRequest,
  type Executor,
  type FetchAnswer,
  type GatewayInterface,
  type MergeOptions,
  type Route,
} from './single-fetch.merger';

/** What answered a query through the shortcut: its route and Apollo Server's parsed document of it. */
export interface Served {
  route: Route;
  document: DocumentNode;
  /** The query text the gateway executed (for an APQ request, the one its hash stands for). */
  source: string;
}

type PlanResolved = Parameters<NonNullable<GatewayConfig['experimental_didResolveQueryPlan']>>[0];

/**
 * Queries whose query plan is a single fetch from one subgraph are sent to that subgraph as the
 * client wrote them, and its `data` is the answer: the gateway's execution of the plan (operation
 * context, variable checks, the fetch's own operation text, result shaping against the API schema)
 * would build the same object, at up to a fifth of the router's CPU per request (`case(id)`;
 * bench/optimisations.md, entry 14). Everything around execution stays Apollo Server's: parsing,
 * validation, the limits and input checks, the response cache, metrics, error formatting.
 *
 * Why the answer is the same: the plan proves every selected field is resolved by that subgraph
 * from the root, with no `@requires`, rewrites or `@defer`; graphql-js there executes the client's
 * selection in the client's order; and composition makes each output type in the supergraph at
 * least as nullable as in the subgraph. The shortcut is off for a supergraph with
 * `@interfaceObject` (the subgraph would name the interface as `__typename`) or with an
 * `@inaccessible` object type or enum value (the subgraph could return what the client may not
 * see). The subgraph's `data` is passed on as the JSON text it answered, not parsed and written
 * again (RawData). The fetch is a client span `router.single_fetch` when tracing is on
 * (the gateway's spans are not made). An answer with errors, or none, goes through the gateway as
 * before, which fetches again; a fetch that failed (network, timeout, open breaker) is not tried
 * twice: the gateway's fetch for the same request fails the same way at once
 * ({@link SignedDataSource.replayFailure}), so it words the error as always. Queries arriving
 * together may share one fetch ({@link SingleFetchMerger}). What it served, it tells
 * SingleFetchFastPath, which answers the same query text again without Apollo Server's pipeline
 * and hands it back here ({@link handOver}) when that fetch answers errors or fails.
 */
export class SingleFetchShortcut {
  /** Per parsed document (Apollo Server keeps one object per query text) and operation name. */
  private readonly routes = new WeakMap<DocumentNode, Map<string, Route | null>>();
  private supergraphAllows = false;

  private readonly merger: SingleFetchMerger;
  /** What served each request the shortcut answered, by its `exchange` (SingleFetchFastPath learns from it). */
  private readonly served = new WeakMap<object, Served>();
  /** Requests whose fetch SingleFetchFastPath already made, by `exchange`: the gateway's to execute. */
  private readonly handedOver = new WeakMap<object, { route: Route; failure?: { error: unknown } }>();

  /** `merge`: how far concurrent queries are merged into one fetch (SingleFetchMerger); by default not at all. */
  constructor(
    private readonly outcomes?: Counter<'outcome'>,
    merge: MergeOptions = { maxCopies: 1, windowMs: 0 },
    mergedCopies?: Histogram<'subgraph'>,
  ) {
    this.merger = new SingleFetchMerger(merge, mergedCopies);
  }

  /** Watches the gateway's schema: the shortcut applies only to supergraphs it is exact for. */
  attach(gateway: ApolloGateway): void {
    gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
      this.supergraphAllows = shortcutIsExact(coreSupergraphSdl, apiSchema);
    });
  }

  /** Whether the shortcut applies to the current supergraph (see shortcutIsExact). */
  get applies(): boolean {
    return this.supergraphAllows;
  }

  /** The route and document that answered the request of `context`, when the shortcut did. */
  servedFor(context: RouterContext): Served | undefined {
    return context.exchange && this.served.get(context.exchange);
  }

  /** One fetch of `route` for `rc`, as the shortcut makes it (merged with others arriving now). */
  fetch(route: Route, rc: ClientRequest): Promise<FetchAnswer> {
    return this.merger.fetch(route, rc);
  }

  /**
   * The next execution of the request of `context` goes to the gateway without a fetch of the
   * shortcut: one was made for it already, and answered errors (the gateway fetches and words them)
   * or failed with `failure.error` (the gateway's fetch fails the same way at once).
   */
  handOver(context: RouterContext, route: Route, failure?: { error: unknown }): void {
    if (context.exchange) this.handedOver.set(context.exchange, { route, failure });
  }

  /** For `experimental_didResolveQueryPlan`: notes, once per document, whether its plan is one fetch. */
  readonly didResolveQueryPlan = ({ queryPlan, serviceMap, requestContext }: PlanResolved): void => {
    const { document, request } = requestContext;
    if (!document || requestContext.operation?.operation !== 'query') return;
    let byName = this.routes.get(document);
    if (!byName) this.routes.set(document, (byName = new Map()));
    const name = request.operationName ?? '';
    if (byName.has(name)) return;
    const serviceName = singleFetchOf(queryPlan, document, requestContext.operation);
    const dataSource = serviceName ? (serviceMap[serviceName] as SignedDataSource | undefined) : undefined;
    const routed = serviceName && dataSource && 'replayFailure' in dataSource;
    byName.set(name, routed ? { serviceName, dataSource, mergeable: mergeableOf(document) } : null);
  };

  /** Apollo Server's view of `gateway`: the same, with the executor taking the shortcut where it can. */
  wrap(gateway: ApolloGateway): GatewayInterface {
    return {
      onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
      stop: () => gateway.stop(),
      load: async (options) => {
        const { executor } = await gateway.load(options);
        return { executor: executor && this.executor(executor as Executor) };
      },
    };
  }

  private executor(gatewayExecutor: Executor): Executor {
    return async (rc) => {
      const { exchange } = rc.context as RouterContext;
      const handed = exchange && this.handedOver.get(exchange);
      if (handed) {
        this.handedOver.delete(exchange);
        if (handed.failure) handed.route.dataSource.replayFailure(rc, handed.failure.error);
        return gatewayExecutor(rc);
      }
      const route = this.supergraphAllows
        ? this.routes.get(rc.document)?.get(rc.request.operationName ?? '')
        : undefined;
      if (!route || !rc.source) return gatewayExecutor(rc);
      let response;
      try {
        response = await this.merger.fetch(route, rc);
      } catch (err) {
        route.dataSource.replayFailure(rc, err);
        this.outcomes?.inc({ outcome: 'fallback' });
        return gatewayExecutor(rc);
      }
      if (response.errors?.length || !response.data) {
        this.outcomes?.inc({ outcome: 'fallback' });
        return gatewayExecutor(rc);
      }
      this.outcomes?.inc({ outcome: 'served' });
      if (exchange) this.served.set(exchange, { route, document: rc.document, source: rc.source });
      // Usually RawData, written into the router's answer as the subgraph's text (see stringifyResult).
      return { data: response.data };
    };
  }
}

/**
 * The subgraph of a plan that is one fetch of the whole query from the root, without `@requires`,
 * rewrites or `@defer`, for a document of that one operation without introspection; else undefined.
 */
export function singleFetchOf(
  plan: QueryPlan,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): string | undefined {
  const node = plan.node;
  if (node?.kind !== 'Fetch' || node.requires || node.inputRewrites?.length || node.outputRewrites?.length) return;
  if (document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length !== 1) return;
  if (introspects(operation.selectionSet, document)) return;
  return node.serviceName;
}

function introspects(set: SelectionSetNode, document: DocumentNode, seen = new Set<string>()): boolean {
  return set.selections.some((s) => {
    if (s.kind === Kind.FIELD) return s.name.value === '__schema' || s.name.value === '__type';
    if (s.kind === Kind.INLINE_FRAGMENT) return introspects(s.selectionSet, document, seen);
    if (seen.has(s.name.value)) return false;
    seen.add(s.name.value);
    const fragment = document.definitions.find(
      (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value,
    );
    return fragment?.kind === Kind.FRAGMENT_DEFINITION && introspects(fragment.selectionSet, document, seen);
  });
}

/**
 * Whether a subgraph's answer to a client's operation is the client's answer for this supergraph:
 * no `@interfaceObject`, and every object type, enum value and input field of the supergraph
 * visible in the API. (A hidden input field or enum value is one the subgraph takes in variables
 * and the gateway, coercing them against the API schema, refuses; the shortcut does not coerce.)
 */
export function shortcutIsExact(supergraphSdl: string, apiSchema: GraphQLSchema): boolean {
  if (/isInterfaceObject:\s*true/.test(supergraphSdl)) return false;
  let supergraph: GraphQLSchema;
  try {
    supergraph = buildSchema(supergraphSdl, { assumeValidSDL: true });
  } catch {
    return false;
  }
  for (const type of Object.values(supergraph.getTypeMap())) {
    if (type.name.startsWith('__') || /^(join|link)__/.test(type.name)) continue;
    const visible = apiSchema.getType(type.name);
    if (isObjectType(type) && !visible) return false;
    if (isEnumType(type) && isEnumType(visible) && visible.getValues().length !== type.getValues().length) return false;
    if (isInputObjectType(type) && isInputObjectType(visible)) {
      if (Object.keys(visible.getFields()).length !== Object.keys(type.getFields()).length) return false;
    }
  }
  return true;
}
