import type { ApolloServerPlugin } from '@apollo/server';

/** Codes of request errors: the document did not parse or validate, or a variable did not coerce. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
]);

/**
 * GraphQL over HTTP for clients that accept only `application/json`: a request error (parse,
 * validation or variable coercion failure; no `data`) SHOULD have status 200 for them, since a
 * legacy client reads the body only on 2xx. Clients that accept `application/graphql-response+json`
 * (or send no Accept header) keep Apollo Server's 400. Other statuses (401, 403, 413, 429) are
 * left as they are.
 */
export function jsonStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      const accept = request.http?.headers.get('accept') ?? '';
      if (!/application\/json/i.test(accept) || /application\/graphql-response\+json/i.test(accept)) return {};
      return {
        async willSendResponse({ response }) {
          if (response.http.status !== 400 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.data !== undefined) return;
          const codes = (result.errors ?? []).map((e) => e.extensions?.code);
          const requestError = codes.length && codes.every((c) => typeof c === 'string' && REQUEST_ERROR_CODES.has(c));
          if (requestError) response.http.status = 200;
        },
      };
    },
  };
}
