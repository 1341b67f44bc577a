import { createHash } from 'node:crypto';
import {
  getVariableValues,
  print,
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
} from 'graphql';
import { buildOperationContext, executeQueryPlan, type GraphQLDataSource } from '@apollo/gateway';
import type { FetchNode, PlanNode, QueryPlan } from '@apollo/query-planner';
import { sanitizeResult, subscriptionError, toGraphQLError } from './errors';
import type { SupergraphState } from './plan.cache';

/** The request context `executeQueryPlan` and `ApolloGateway.executor` take. */
export type GatewayRequestContext = Parameters<typeof executeQueryPlan>[2];
type OperationContext = ReturnType<typeof buildOperationContext>;

/** A client operation checked against one supergraph state, ready to plan and run. */
export interface PreparedOperation {
  document: DocumentNode;
  operationName?: string;
  /** Printed document: the plan cache key together with `operationName`. */
  source: string;
  /** Coerced variable values (defaults applied). */
  variables: Record<string, unknown>;
  operationContext: OperationContext;
  /** Identifies "the same client operation with the same variables", for the per-event result cache. */
  executionKey: string;
}

/**
 * Checks variables and builds the gateway's operation context. Returns GraphQL errors
 * (BAD_USER_INPUT for variables) instead of throwing.
 */
export function prepareOperation(
  state: SupergraphState,
  document: DocumentNode,
  operationName: string | undefined | null,
  rawVariables: Record<string, unknown> | undefined | null,
  identityKey: string,
): PreparedOperation | ExecutionResult {
  try {
    const operationContext = buildOperationContext({
      schema: state.apiGraphQLSchema,
      operationDocument: document,
      operationName: operationName ?? undefined,
    });
    const coerced = getVariableValues(
      state.apiGraphQLSchema,
      operationContext.operation.variableDefinitions ?? [],
      rawVariables ?? {},
    );
    if (coerced.errors) return { errors: coerced.errors.map((e) => toGraphQLError(e, 'BAD_USER_INPUT')) };
    const source = print(document);
    const variables = coerced.coerced as Record<string, unknown>;
    const executionKey = `${operationName ?? ''}\0${source}\0${stableStringify(variables)}\0${identityKey}`;
    return { document, operationName: operationName ?? undefined, source, variables, operationContext, executionKey };
  } catch (err) {
    return { errors: [toGraphQLError(err, 'BAD_USER_INPUT')] };
  }
}

/** The minimal gateway request context for one execution of `op` with the client's context. */
export function requestContext(
  state: SupergraphState,
  op: PreparedOperation,
  context: Record<string, unknown>,
): GatewayRequestContext {
  const ctx = {
    request: { query: op.source, variables: op.variables, operationName: op.operationName },
    document: op.document,
    source: op.source,
    operation: op.operationContext.operation,
    operationName: op.operationName ?? null,
    queryHash: createHash('sha256').update(op.source).digest('hex'),
    context,
    schema: state.apiGraphQLSchema,
    logger: console,
    // executeQueryPlan writes metrics.nonFtv1ErrorPaths when a subgraph returns errors.
    metrics: {},
    overallCachePolicy: undefined,
    cache: undefined,
    schemaHash: '',
  };
  return ctx as unknown as GatewayRequestContext;
}

/**
 * The per-event half of a subscription plan: runs `Sequence[primary, rest]` through the gateway's
 * `executeQueryPlan` with the primary fetch answered by the event, so entity fetches, rewrites,
 * error paths and the shaping to the client's selection all come from the gateway. Every other
 * fetch, even to the primary's own subgraph, goes out over HTTP through the state's data sources.
 */
export class EventResolver {
  private readonly plan: QueryPlan;

  constructor(
    private readonly state: SupergraphState,
    private readonly op: PreparedOperation,
    private readonly primary: FetchNode,
    rest: PlanNode | undefined,
  ) {
    // executeQueryPlan refuses kind 'Subscription', so the primary becomes an ordinary first fetch.
    this.plan = { kind: 'QueryPlan', node: rest ? { kind: 'Sequence', nodes: [primary, rest] } : primary };
  }

  /** Resolves one upstream event for this operation; never rejects (errors become GraphQL errors). */
  async resolve(event: FormattedExecutionResult, context: Record<string, unknown>): Promise<ExecutionResult> {
    const { state, primary } = this;
    const owner = state.serviceMap[primary.serviceName];
    const withEvent: GraphQLDataSource = {
      process: (req) =>
        req.request.query === primary.operation ? Promise.resolve(event as never) : owner.process(req),
    };
    try {
      const result = await executeQueryPlan(
        this.plan,
        { ...state.serviceMap, [primary.serviceName]: withEvent },
        requestContext(state, this.op, context),
        this.op.operationContext,
        state.supergraphSchema,
        state.apiSchema,
      );
      return sanitizeResult(result as ExecutionResult);
    } catch (err) {
      return { errors: [toGraphQLError(err)] };
    }
  }
}

/** The primary fetch and the rest of a subscription plan, or an error result when it is not one. */
export function splitSubscriptionPlan(plan: QueryPlan): { primary: FetchNode; rest?: PlanNode } | ExecutionResult {
  const node = plan.node;
  if (node?.kind !== 'Subscription')
    return {
      errors: [
        subscriptionError(
          'This operation does not plan to a federated subscription (is its root field skipped?).',
          'OPERATION_RESOLUTION_FAILURE',
        ),
      ],
    };
  return { primary: node.primary, rest: node.rest };
}

/** The upstream variables: only those the primary fetch uses. */
export function upstreamVariables(primary: FetchNode, variables: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries((primary.variableUsages ?? []).filter((v) => v in variables).map((v) => [v, variables[v]]));
}

/** JSON with object keys sorted, so equal values give equal strings (dedup keys). */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}
