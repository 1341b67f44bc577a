/**
 * GraphQL over HTTP for the dashboard: POSTs one of the project's typed operations to the router's
 * `/graphql` as JSON (which also satisfies the router's CSRF rule) and returns its data or throws
 * a {@link GraphQLRequestError} carrying the first error's code.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql/language/printer';

/** A failed operation: the first GraphQL error's message and `extensions.code`. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const printed = new WeakMap<object, string>();

/** Runs `doc` with `variables`, as `token`'s holder when given. */
export async function request<T, V>(doc: TypedDocumentNode<T, V>, variables: V, token?: string | null): Promise<T> {
  let query = printed.get(doc);
  if (!query) printed.set(doc, (query = print(doc)));
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new GraphQLRequestError('The server cannot be reached.', 'NETWORK_ERROR');
  }
  const body = (await res.json().catch(() => ({}))) as {
    data?: T | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
  const error = body.errors?.[0];
  if (error) throw new GraphQLRequestError(error.message, error.extensions?.code ?? `HTTP_${res.status}`);
  if (!body.data)
    throw new GraphQLRequestError(`The server answered ${res.status} without data.`, `HTTP_${res.status}`);
  return body.data;
}
