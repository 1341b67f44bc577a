import { GraphQLError, type GraphQLFormattedError } from 'graphql';

// How the router words and classifies a subgraph fetch that failed (SignedDataSource): what the
// client sees of it, and whether another attempt may succeed.

/**
 * The errors of a 4xx answer that carries a GraphQL body (a subgraph refusing a variable or a
 * literal, as graphql-js does with 400 BAD_USER_INPUT or GRAPHQL_VALIDATION_FAILED): handed to the
 * gateway as that fetch's errors, so the client sees their own message and code instead of the
 * gateway's generic "400: Bad Request". Errors without a code are coded BAD_REQUEST.
 */
export function subgraphRequestErrors(err: unknown): GraphQLFormattedError[] | undefined {
  const response = (err as { extensions?: { response?: { status?: number; body?: unknown } } }).extensions?.response;
  if (!response || typeof response.status !== 'number' || response.status < 400 || response.status >= 500)
    return undefined;
  const errors = (response.body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors) || !errors.length) return undefined;
  return errors.map((e: { message?: unknown; extensions?: Record<string, unknown> }) => {
    const code = typeof e?.extensions?.code === 'string' ? e.extensions.code : 'BAD_REQUEST';
    const message = typeof e?.message === 'string' ? e.message : 'The request was refused.';
    return { message, extensions: { ...e?.extensions, code } };
  });
}

/** Network errors, timeouts and 5xx answers may succeed on another try; 4xx never do. */
export function isRetryable(err: unknown): boolean {
  const status = (err as { extensions?: { response?: { status?: number } } }).extensions?.response?.status;
  if (typeof status === 'number') return status >= 500;
  return true;
}

/**
 * A network failure (refused, reset, timed out) or a 5xx answer as a coded error naming the
 * subgraph; other HTTP errors as the gateway words them.
 */
export function asUnavailable(err: unknown, serviceName: string): unknown {
  const status = (err as { extensions?: { response?: { status?: unknown } } }).extensions?.response?.status;
  if (err instanceof GraphQLError && err.extensions?.response && !(typeof status === 'number' && status >= 500))
    return err; // the subgraph refused the request (4xx without a GraphQL body)
  const timedOut = /timeout|timed out/i.test((err as Error)?.message ?? '');
  const why = typeof status === 'number' ? ` (it answered ${status})` : timedOut ? ' (timed out)' : '';
  return new GraphQLError(`The ${serviceName} service is unavailable${why}. Try again shortly.`, {
    extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName },
    originalError: err instanceof Error ? err : undefined,
  });
}
