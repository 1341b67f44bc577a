import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { checkOperationInput } from '../validation/input.check';

/**
 * The input-sanitising step of every Apollo Server in the supergraph (router and subgraphs): once
 * the operation is known and before anything executes, `checkOperationInput` walks its arguments
 * and variables once. A refused value answers BAD_USER_INPUT (with `field`) and HTTP 400, like
 * graphql-js' own variable coercion, so no resolver (and no SQL) ever sees it.
 */
export function inputCheckPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          try {
            checkOperationInput(schema, document, operation, request.variables);
          } catch (err) {
            if (!(err instanceof GraphQLError)) throw err;
            throw new GraphQLError(err.message, { extensions: { ...err.extensions, http: { status: 400 } } });
          }
        },
      };
    },
  };
}
