import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * Subscriptions are served over graphql-ws on `/graphql` only: `@apollo/gateway` cannot execute
 * one that arrives over HTTP and would answer INTERNAL_SERVER_ERROR. This refuses it up front with
 * 400 BAD_REQUEST saying where to go instead.
 */
export function subscriptionOverHttpPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError('Subscriptions are served over WebSocket (graphql-ws) on /graphql, not over HTTP.', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        },
      };
    },
  };
}
