import type { ApolloServerPlugin } from '@apollo/server';
import { markQueryOnly } from '../db/read-only';
import type { RequestContext } from './context';

/**
 * Marks a subgraph request's EntityManager as serving a query once Apollo Server knows the
 * operation, before anything executes: the loaders then hydrate what they read without the unit of
 * work (`findByIds`, `readOnlyRows`). Mutations keep managed entities, which they change and flush.
 */
export function queryReadsPlugin<C extends Pick<RequestContext, 'em'>>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === 'query') markQueryOnly(contextValue.em);
        },
      };
    },
  };
}
