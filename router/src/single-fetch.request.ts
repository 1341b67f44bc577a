import type { IncomingMessage } from 'node:http';
import { isJson, isJsonObject } from '@supergraph/kit';

/**
 * One query as the fast path (SingleFetchFastPath) can read it, from a POST body or a GET's search
 * parameters: with the query's text, or with only an APQ hash (`extensions.persistedQuery`)
 * standing for a text. `extensions.clientLibrary`, which Apollo Client 4 adds to every request and
 * which changes nothing in the answer, may come with either.
 */
export interface QueryBody {
  query?: string;
  /** The APQ hash the request carries (sha256 of the text, hex). */
  hash?: string;
  operationName?: string;
  variables?: Record<string, unknown>;
}

/** A query with its text (read from the request, or the one its APQ hash stands for). */
export type TextBody = QueryBody & { query: string };

/** Headers any of which makes a GET safe from CSRF for Apollo Server (`csrfPrevention: true`). */
const PREFLIGHT_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name'] as const;

/**
 * The query a request carries, or `undefined` when Apollo Server must read it: a POST's parsed
 * JSON `body`, or a GET's search parameters (`query`, `operationName`, and `variables` and
 * `extensions` as JSON). A GET is read only when Apollo Server's CSRF prevention would let it
 * through for certain: a JSON `Content-Type` (as Apollo Client sends) or a preflight header.
 */
export function queryOf(req: IncomingMessage, body: unknown): QueryBody | undefined {
  if (req.method === 'POST') return queryBody(body);
  if (req.method !== 'GET') return undefined;
  const preflighted =
    isJson(req.headers['content-type']) || PREFLIGHT_HEADERS.some((h) => Boolean(req.headers[h]?.length));
  const search = req.url?.indexOf('?') ?? -1;
  if (!preflighted || search < 0) return undefined;
  const params = new URLSearchParams(req.url!.slice(search + 1));
  const fields: Record<string, unknown> = {};
  for (const name of ['query', 'operationName'] as const) {
    const value = params.get(name);
    if (value !== null) fields[name] = value;
  }
  for (const name of ['variables', 'extensions'] as const) {
    const value = params.get(name);
    if (value === null) continue;
    try {
      fields[name] = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return queryBody(fields);
}

/** `body` as one query the fast path can read (see {@link QueryBody}), or `undefined`. */
function queryBody(body: unknown): QueryBody | undefined {
  if (!isJsonObject(body)) return undefined;
  const { query, operationName, variables, extensions } = body;
  if (query !== undefined && typeof query !== 'string') return undefined;
  // An empty name names no operation for Apollo Server (it refuses it), but would read as none here.
  if (operationName !== undefined && operationName !== null && (typeof operationName !== 'string' || !operationName))
    return undefined;
  if (variables !== undefined && variables !== null && !isJsonObject(variables)) return undefined;
  const hash = extensions === undefined ? undefined : persistedQueryHash(extensions);
  if (hash === null || (query === undefined && hash === undefined)) return undefined;
  return {
    ...(query !== undefined ? { query } : {}),
    ...(hash !== undefined ? { hash } : {}),
    operationName: operationName ?? undefined,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
  };
}

/**
 * The APQ hash of `extensions` (`undefined`: none), or `null` when they hold anything but a
 * version-1 `persistedQuery` and a `clientLibrary` object, which Apollo Server then reads.
 */
function persistedQueryHash(extensions: unknown): string | undefined | null {
  if (!isJsonObject(extensions)) return null;
  let hash: string | undefined;
  for (const [name, value] of Object.entries(extensions)) {
    if (name === 'clientLibrary' && isJsonObject(value)) continue;
    if (name !== 'persistedQuery' || !isJsonObject(value)) return null;
    const { version, sha256Hash, ...rest } = value;
    if (version !== 1 || typeof sha256Hash !== 'string' || Object.keys(rest).length) return null;
    hash = sha256Hash;
  }
  return hash;
}
