import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from './logger';

/**
 * A log of the unexpected errors of a GraphQL server (the router or a subgraph), each with the
 * correlation id of the request it belongs to. Neither keeps a log scope (AsyncLocalStorage) per
 * request, and Apollo Server's `formatError` is not told the request; so `plugin` notes each
 * error's correlation id when Apollo Server reports the request's errors (`didEncounterErrors`,
 * just before it formats them), and `log`, the kit's `formatError` callback, writes it with the
 * error under `message`. An error formatted without a request (a failed context) is logged without one.
 */
export function requestErrorLog<C extends BaseContext & { correlationId?: string }>(
  log: Logger,
  message: string,
): {
  plugin: ApolloServerPlugin<C>;
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
      log.error(correlationId ? { err, correlationId } : { err }, message);
    },
  };
}
