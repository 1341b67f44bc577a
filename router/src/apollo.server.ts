import type { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { formatError, requestErrorLog, type Logger } from '@supergraph/kit';
import type { PersistedQueries } from './cache/apq.store';
import { stringifyResult } from './raw-data';
import type { RouterConfig } from './config';
import type { LimitsPolicy } from './limits/limits.policy';
import type { RouterContext } from './signed.datasource';
import type { SingleFetchShortcut } from './single-fetch.shortcut';

/** What the router logs for an error it hides from the client. */
export const UNEXPECTED_ERROR_MESSAGE = 'unexpected error in the router';

/** What the router's Apollo Server is made of, besides its plugins. */
export interface RouterApolloOptions {
  config: RouterConfig;
  gateway: ApolloGateway;
  /** Queries planned as one fetch skip the gateway's execution (see SingleFetchShortcut). */
  shortcut?: SingleFetchShortcut;
  limits: LimitsPolicy;
  persistedQueries: PersistedQueries;
  log: Logger;
}

/**
 * The router's Apollo Server over the gateway (not started) with `plugins`, in the order they run: CSRF prevention, introspection as
 * configured, the parser's token limit and the shape rules of `limits`, errors formatted by the
 * kit (no stack traces; no "did you mean" suggestions in production; unexpected ones logged with
 * the request's correlation id, see requestErrorLog), and no signal handlers of its own:
 * `runUntilSignalled` drains everything in order. Answers are written by {@link stringifyResult}.
 */
export function routerApollo(
  opts: RouterApolloOptions,
  plugins: ApolloServerPlugin<RouterContext>[],
): ApolloServer<RouterContext> {
  const { config, limits, log } = opts;
  const errors = requestErrorLog<RouterContext>(log, UNEXPECTED_ERROR_MESSAGE);
  return new ApolloServer<RouterContext>({
    gateway: opts.shortcut ? opts.shortcut.wrap(opts.gateway) : opts.gateway,
    persistedQueries: opts.persistedQueries.option,
    csrfPrevention: true,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: limits.validationRules,
    formatError: formatError(errors.log, {
      hideSuggestions: config.nodeEnv === 'production',
    }),
    stringifyResult,
    plugins: [errors.plugin, ...plugins],
  });
}
