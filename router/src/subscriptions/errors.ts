import { GraphQLError, type ExecutionResult } from 'graphql';

/**
 * The codes the subscriptions engine puts in `extensions.code`. The first five are the platform's
 * shared codes; `SUBSCRIPTION_ENDED` marks a subscription the router itself ended (schema reload,
 * shutdown) so a client knows it may simply subscribe again.
 */
export const SUBSCRIPTION_ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'SUBGRAPH_UNAVAILABLE',
  'OPERATION_RESOLUTION_FAILURE',
  'INTERNAL_SERVER_ERROR',
  'SUBSCRIPTION_ENDED',
] as const;

/** One of {@link SUBSCRIPTION_ERROR_CODES}. */
export type SubscriptionErrorCode = (typeof SUBSCRIPTION_ERROR_CODES)[number];

/** WebSocket close codes the engine uses on client sockets (graphql-ws reserves 4400–4499 for protocol use). */
export const CLOSE_CODES = {
  /**
   * `authenticate` rejected the connection_init payload, or the credentials the socket was opened
   * with stopped holding (revoked, expired): the client needs new credentials before it reconnects
   * (graphql-ws's client does not retry on 4401).
   */
  unauthorized: 4401,
  /** The client did not read its events fast enough; its queue went over `maxQueuedEvents`. */
  tooManyQueuedEvents: 4429,
  /** The router is shutting down (the router closes sockets itself; the engine uses it for late connections). */
  goingAway: 1001,
} as const;

/** A GraphQL error with a subscriptions code and no stack trace. */
export function subscriptionError(
  message: string,
  code: SubscriptionErrorCode,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/**
 * Turns anything thrown or returned as an error into a GraphQLError that graphql-ws can serialise:
 * keeps message, path, locations and extensions of GraphQL errors, drops `extensions.stacktrace`
 * and `exception`, and gives every error an `extensions.code` (`fallback` when it has none).
 * A raw Error (e.g. node-fetch's FetchError) would otherwise make graphql-ws fail on `toJSON()`.
 */
export function toGraphQLError(err: unknown, fallback: SubscriptionErrorCode = 'INTERNAL_SERVER_ERROR'): GraphQLError {
  if (err instanceof GraphQLError) {
    const { stacktrace: _s, exception: _e, http: _h, ...rest } = err.extensions ?? {};
    const extensions = { ...rest, code: rest.code ?? fallback };
    return new GraphQLError(err.message, {
      nodes: err.nodes,
      source: err.source,
      positions: err.positions,
      path: err.path,
      extensions,
    });
  }
  if (err && typeof err === 'object' && 'message' in err && typeof (err as { message: unknown }).message === 'string') {
    const e = err as { message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> };
    const { stacktrace: _s, exception: _e, ...rest } = e.extensions ?? {};
    // Formatted errors from a subgraph keep their path; thrown Errors only keep their message.
    return new GraphQLError(e.message, {
      path: Array.isArray(e.path) ? e.path : undefined,
      extensions: { ...rest, code: rest.code ?? fallback },
    });
  }
  return subscriptionError(String(err), fallback);
}

/** Returns `result` with every error passed through {@link toGraphQLError}; data and extensions are kept. */
export function sanitizeResult(result: ExecutionResult): ExecutionResult {
  if (result.errors === undefined) return result;
  const { errors, ...rest } = result;
  // An empty `errors` array is not valid in a GraphQL response; drop it.
  return errors.length === 0 ? rest : { ...rest, errors: errors.map((e) => toGraphQLError(e)) };
}

/** Why an upstream graphql-ws connection ended, as the engine saw it. */
export interface UpstreamFailure {
  serviceName: string;
  /** What graphql-ws reported: a close event, GraphQL errors, or a socket error event. */
  error: unknown;
  /** True when the engine itself cut the socket because the subgraph stopped answering pings. */
  timedOut?: boolean;
}

/**
 * The errors a client sees when its upstream subscription fails. Close codes 4401/4403 (the
 * subgraph refused the connection_init payload) become UNAUTHENTICATED; GraphQL errors sent by the
 * subgraph keep their own codes; everything else (refused connection, dropped socket, ping
 * timeout) is SUBGRAPH_UNAVAILABLE.
 */
export function upstreamErrors({ serviceName, error, timedOut }: UpstreamFailure): GraphQLError[] {
  const ext = { serviceName };
  if (timedOut)
    return [
      subscriptionError(
        `Subgraph "${serviceName}" stopped answering pings; the subscription was ended.`,
        'SUBGRAPH_UNAVAILABLE',
        ext,
      ),
    ];
  if (Array.isArray(error)) {
    const errors = error.map((e) => toGraphQLError(e, 'INTERNAL_SERVER_ERROR'));
    return errors.length > 0
      ? errors.map((e) => new GraphQLError(e.message, { path: e.path, extensions: { ...e.extensions, ...ext } }))
      : [subscriptionError(`Subgraph "${serviceName}" rejected the subscription.`, 'INTERNAL_SERVER_ERROR', ext)];
  }
  if (isCloseEvent(error)) {
    const why = error.reason ? `${error.code}: ${error.reason}` : String(error.code);
    if (error.code === 4401 || error.code === 4403)
      return [
        subscriptionError(
          `Subgraph "${serviceName}" refused the subscription for this identity (${why}).`,
          'UNAUTHENTICATED',
          ext,
        ),
      ];
    const what = error.code === 1006 ? 'was lost' : 'closed';
    return [
      subscriptionError(`Connection to subgraph "${serviceName}" ${what} (code ${why}).`, 'SUBGRAPH_UNAVAILABLE', ext),
    ];
  }
  return [
    subscriptionError(`Subgraph "${serviceName}" is unreachable: ${describe(error)}.`, 'SUBGRAPH_UNAVAILABLE', ext),
  ];
}

function isCloseEvent(e: unknown): e is { code: number; reason?: string } {
  return !!e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'number' && 'reason' in e;
}

function describe(err: unknown): string {
  if (err && typeof err === 'object') {
    const o = err as { message?: unknown; error?: { message?: unknown }; type?: unknown };
    if (typeof o.message === 'string' && o.message) return o.message;
    if (o.error && typeof o.error.message === 'string') return o.error.message; // ws ErrorEvent
    if (typeof o.type === 'string') return `socket ${o.type}`;
  }
  return String(err);
}

/** The close reason of a 4401: "Unauthorized: <why> (<code>)", cut to fit a close frame. */
export function unauthorizedReason(why: string, code?: string): string {
  return closeReason(`Unauthorized: ${why}${code ? ` (${code})` : ''}`);
}

/** Cuts a close reason to the 123 bytes a WebSocket close frame allows. */
export function closeReason(text: string): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= 123) return text;
  return (
    buf
      .subarray(0, 120)
      .toString('utf8')
      .replace(/\uFFFD+$/, '') + '...'
  );
}
