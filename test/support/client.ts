import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { inject } from 'vitest';

/** A GraphQL error as clients receive it. */
export interface ClientError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** A response: HTTP status, data and errors. */
export interface Result<T> {
  status: number;
  data: T | null | undefined;
  errors?: ClientError[];
}

/** POSTs a GraphQL request body as JSON to `url`, with `token` as the bearer when given; the raw response. */
export function post(
  url: string,
  body: unknown,
  opts: { token?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...opts.headers,
    },
    body: JSON.stringify(body),
  });
}

/** POSTs an operation to `url` (default: the router) as a web client would, over real HTTP. */
export async function gql<T, V>(
  doc: TypedDocumentNode<T, V> | DocumentNode,
  variables?: V,
  opts: { token?: string; url?: string; headers?: Record<string, string> } = {},
): Promise<Result<T>> {
  const res = await post(opts.url ?? inject('routerUrl'), { query: print(doc), variables }, opts);
  const body = (await res.json()) as { data?: T | null; errors?: ClientError[] };
  return { status: res.status, data: body.data, errors: body.errors };
}

/** The data of a response that must have succeeded; fails with the errors otherwise. */
export async function ok<T, V>(doc: TypedDocumentNode<T, V>, variables?: V, opts: { token?: string } = {}): Promise<T> {
  const r = await gql(doc, variables, opts);
  if (r.errors?.length || !r.data)
    throw new Error(`expected success, got ${r.status} ${JSON.stringify({ data: r.data, errors: r.errors })}`);
  return r.data;
}

/** The extension codes of a response's errors. */
export const codes = (r: { errors?: ClientError[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

/** An email address no other test uses. */
export const uniqueEmail = (tag = 'user') =>
  `${tag}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}@example.com`;

/** Sum of a subgraph's `db_statements_total` sent while serving requests, read from its /metrics. */
export async function sqlStatements(subgraph: string): Promise<number> {
  const url = new URL('/metrics', inject('subgraphUrls')[subgraph]);
  const text = await (await fetch(url)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('db_statements_total{') && l.includes('origin="request"'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}
