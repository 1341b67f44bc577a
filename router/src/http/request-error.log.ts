import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@supergraph/kit';
import type { RouterContext } from '../signed.datasource';

/** What the router logs for an error it hides from the client. */
export const UNEXPECTED_ERROR_MESSAGE = 'unexpected error in the router';

/**
 * The router's log of unexpected errors, with the correlation id of the request they belong to.
 * The router keeps no log scope (no AsyncLocalStorage, see graphqlRoute), and Apollo Server's
 * `formatError` is not told the request; so `plugin` notes each error's correlation id when Apollo
 * Server reports the request's errors (`didEncounterErrors`, just before it formats them), and
 * `log`, the kit's `formatError` callback, writes it with the error. An error formatted without a
 * request (a failed context) is logged without one.
 */
export function requestErrorLog(log: Logger): {
  plugin: ApolloServerPlugin<RouterContext>;
  log: (err: unknown) => void;
} {
  const correlationOf = new WeakMap<object, string>();
  return {
    plugin: {
      async requestDidStart() {
        return {
          async didEncounterErrors({ errors, contextValue }) {
            if (!contextValue?.correlationId) return;
            for (const error of errors) correlationOf.set(error, contextValue.correlationId);
          },
        };
      },
    },
    log: (err) => {
      const correlationId = err && typeof err === 'object' ? correlationOf.get(err) : undefined;
      log.error(correlationId ? { err, correlationId } : { err }, UNEXPECTED_ERROR_MESSAGE);
    },
  };
}
