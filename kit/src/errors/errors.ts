import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The closed set of error codes a client can see in `extensions.code`. */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'ACCOUNT_LOCKED',
  'ACCOUNT_DISABLED',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'SUBGRAPH_UNAVAILABLE',
  'SUBSCRIPTION_ENDED',
  'PAYLOAD_TOO_LARGE',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
  'QUERY_TOO_COMPLEX',
  'OPERATION_NOT_ALLOWED',
  'UNSUPPORTED_MEDIA_TYPE',
  'INVALID_IMAGE',
  'INTERNAL_SERVER_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Base class: a GraphQL error with one of our codes and optional extra extensions. */
export class AppError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

/** Input that fails validation; `field` names the offending input field (e.g. `input.age`). */
export class BadUserInputError extends AppError {
  constructor(message: string, field?: string) {
    super(message, 'BAD_USER_INPUT', field ? { field } : {});
  }
}

/** No (valid) identity where one is needed. */
export class UnauthenticatedError extends AppError {
  constructor(message = 'You must be signed in to do this.') {
    super(message, 'UNAUTHENTICATED');
  }
}

/** Signed in, but not allowed. */
export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this.') {
    super(message, 'FORBIDDEN');
  }
}

/** The thing named does not exist (or is not visible to the caller). */
export class NotFoundError extends AppError {
  constructor(what: string, id?: string) {
    super(id ? `${what} ${id} was not found.` : `${what} was not found.`, 'NOT_FOUND');
  }
}

/** The request collides with existing state (e.g. an email already registered). */
export class ConflictError extends AppError {
  constructor(message: string, field?: string) {
    super(message, 'CONFLICT', field ? { field } : {});
  }
}

/** Too many requests; `retryAfterSeconds` tells when to try again. */
export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(`Too many requests. Try again in ${retryAfterSeconds} s.`, 'RATE_LIMITED', { retryAfterSeconds });
  }
}

/** The account is locked after repeated failures, until `lockedUntil`. */
export class AccountLockedError extends AppError {
  constructor(lockedUntil: Date) {
    super(
      `This account is locked after too many failed sign-in attempts until ${lockedUntil.toISOString()}.`,
      'ACCOUNT_LOCKED',
      { lockedUntil: lockedUntil.toISOString() },
    );
  }
}

/** An ADMIN disabled the account: it cannot sign in until enabled again. */
export class AccountDisabledError extends AppError {
  constructor() {
    super('This account is disabled. Contact an administrator.', 'ACCOUNT_DISABLED');
  }
}

const KNOWN = new Set<string>(ERROR_CODES);

/**
 * Apollo Server `formatError`: keeps our own errors and Apollo's request errors as they are (minus
 * any stack trace), and turns everything else into a generic INTERNAL_SERVER_ERROR, logging the
 * original through `log` so nothing internal (SQL, paths, stacks) reaches a client.
 */
export function formatError(log: (err: unknown) => void, opts: { hideSuggestions?: boolean } = {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // Apollo re-codes validation-rule errors as GRAPHQL_VALIDATION_FAILED; a rule's own code is more precise.
    const ownCode = ((error as { originalError?: GraphQLError })?.originalError as GraphQLError | undefined)?.extensions
      ?.code;
    if (
      formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' &&
      typeof ownCode === 'string' &&
      KNOWN.has(ownCode)
    ) {
      formatted = { ...formatted, extensions: { ...formatted.extensions, code: ownCode } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && KNOWN.has(code) && code !== 'INTERNAL_SERVER_ERROR') {
      const { stacktrace: _s, exception: _e, ...extensions } = formatted.extensions ?? {};
      // Field suggestions ("Did you mean …?") reveal the schema; production hides them.
      const message = opts.hideSuggestions ? formatted.message.replace(/ Did you mean .+\?$/, '') : formatted.message;
      return { ...formatted, message, extensions };
    }
    if (isRequestError(error)) {
      // Apollo Server's own refusals of a request (e.g. an APQ version it does not know) carry a 4xx
      // status but no code: the client's mistake, in Apollo's words, not an error of ours to hide.
      return { message: formatted.message, locations: formatted.locations, extensions: { code: 'BAD_REQUEST' } };
    }
    log(error);
    return {
      message: 'Internal server error. It has been logged.',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/** An error Apollo Server raised about the request itself: an HTTP status of 4xx, no resolver path. */
function isRequestError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.path !== undefined) return false;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
