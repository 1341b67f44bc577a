import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * Refuses a request whose document has no operation by the name it gives (an unknown name, an
 * empty one, or none in a document of several operations), before anything executes: 400
 * OPERATION_RESOLUTION_FAILURE, in graphql-js' words. Apollo Server leaves that to the executor,
 * and neither executor of ours says it cleanly: @apollo/gateway throws (an INTERNAL_SERVER_ERROR)
 * or takes an empty name for none and runs the only operation, and a subgraph's plugins would run
 * on an operation that is not there. Every Apollo Server in the supergraph installs it.
 */
export function operationResolutionPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          throw new GraphQLError(unresolvedOperationMessage(request.operationName), {
            extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } },
          });
        },
      };
    },
  };
}

/**
 * Why a document has no operation by `operationName` (which graphql-js' `getOperationAST` found
 * none for), in graphql-js' words: for the router's graphql-ws operations as for HTTP.
 */
export function unresolvedOperationMessage(operationName: string | null | undefined): string {
  return operationName === undefined || operationName === null
    ? 'Must provide operation name if query contains multiple operations.'
    : `Unknown operation named "${operationName}".`;
}
