import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { ServiceMetrics } from '../metrics/metrics';

/**
 * Counts every GraphQL operation an Apollo Server answers (`graphql_operations_total`, by operation
 * name and outcome) and times it (`graphql_operation_duration_seconds`), the same in the router and
 * every subgraph. See {@link operationOutcome} for what counts as an error.
 */
export function operationMetricsPlugin<C extends BaseContext>(metrics: ServiceMetrics): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const end = metrics.operationSeconds.startTimer();
      return {
        async willSendResponse(rc) {
          const operation = rc.operationName ?? 'anonymous';
          end({ operation });
          metrics.operations.inc({ operation, outcome: operationOutcome(rc) });
        },
      };
    },
  };
}

/**
 * `error` when the request failed or its answer carries errors, else `ok`. Errors in the body count:
 * a gateway's answer with a failed subgraph fetch has `errors` but none in the request context.
 * An incremental answer (several parts) counts as `error`, as no operation of ours is one.
 */
export function operationOutcome<C extends BaseContext>(rc: GraphQLRequestContextWillSendResponse<C>): 'ok' | 'error' {
  const body = rc.response.body;
  const failed = rc.errors?.length || body.kind !== 'single' || body.singleResult.errors?.length;
  return failed ? 'error' : 'ok';
}
