import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from '@apollo/server';
import {
  CLIENT_USER_AGENT_HEADER,
  CORRELATION_HEADER,
  IDENTITY_HEADER,
  UNSIGNED_REQUEST,
  verifyIdentity,
} from '../auth/identity';
import type { ErrorCode } from '../errors/errors';
import { runInTraceContext } from '../telemetry/tracing';
import { requestContext, requestScope, type RequestContext } from './context';
import { executeGraphQL, isJson, isJsonObject, parseByteSize, readBody, type BodyError } from './graphql.handler';
import { sendJsonError } from './json.errors';
import { operationKind } from './operation.kind';
import type { SubgraphServerOptions } from './subgraph.server';

/** Where a subgraph answers batches of queries (next to `/graphql`). */
export const BATCH_PATH = '/graphql/batch';

/** Most requests one batch may carry. */
export const MAX_BATCH_REQUESTS = 32;

/** One request of a batch: the headers and JSON body it would have been sent to `/graphql` with alone. */
export interface BatchRequest {
  /** Lower-case header names: `x-router-identity` (required), `x-correlation-id`, `traceparent`, ... */
  headers: Record<string, string>;
  body: unknown;
}

/** One answer of a batch: what `/graphql` would have answered its request alone. */
export interface BatchAnswer {
  status: number;
  /** Lower-case header names: `content-type`, `cache-control`. */
  headers: Record<string, string>;
  /** The answer's body as text (a GraphQL response in JSON). */
  body: string;
}

/** Whether a request is for the batch endpoint. */
export function isBatchPath(url: string | undefined): boolean {
  return url === BATCH_PATH;
}

/** Answers 405 (with `Allow: POST`) when a batch request is not a POST; true when it did. */
export function refusedBatchMethod(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'POST') return false;
  req.resume();
  sendJsonError(res, 405, 'BAD_REQUEST', `${BATCH_PATH} answers POST only.`, {}, { allow: 'POST' });
  return true;
}

/**
 * A subgraph's `POST /graphql/batch`: several queries, each with its own signed identity, in one
 * HTTP request, answered as a JSON array of {@link BatchAnswer} in their order. The router sends
 * one when queries for this subgraph from different callers arrive together, which merging into
 * one operation cannot join (one operation carries one identity).
 *
 * The handler of a POST batch whose own signature `subgraphGraphql` checked (401 UNAUTHENTICATED
 * otherwise; another method is 405, see refusedBatchMethod). Every request in it must be signed too: one without a valid signature gets a 401
 * answer of its own, the others run. Only
 * queries: a mutation or subscription gets 400 BAD_REQUEST. A body that is not an array of 1 to
 * {@link MAX_BATCH_REQUESTS} requests is refused whole with 400.
 *
 * Each request runs through Apollo Server as on `/graphql` (its own context, identity, correlation
 * id, trace context, cache policy and errors). What the requests share is the data side: one
 * EntityManager fork and one set of loaders (see CreateLoaders), so entities that several of them
 * ask for at once load in one statement.
 */
export function subgraphBatch<L>(opts: SubgraphServerOptions<L>, apollo: ApolloServer<RequestContext<L>>) {
  const limit = parseByteSize(opts.bodyLimit ?? '1mb');
  const answerAll = async (requests: BatchRequest[]): Promise<BatchAnswer[]> => {
    const verified = await Promise.all(
      requests.map((r) => verifyIdentity(r.headers[IDENTITY_HEADER], opts.signingSecret)),
    );
    const correlationIds = verified.map(
      (v, i) => v?.correlationId || requests[i]!.headers[CORRELATION_HEADER] || randomUUID(),
    );
    const scope = requestScope(opts.db, opts.createLoaders, correlationIds.join(','));
    return Promise.all(
      requests.map(async ({ headers, body }, i): Promise<BatchAnswer> => {
        const identity = verified[i]?.identity;
        if (!identity) return refusal(401, 'UNAUTHENTICATED', UNSIGNED_REQUEST);
        const { query, operationName } = (body ?? {}) as { query?: unknown; operationName?: unknown };
        const kind =
          typeof query === 'string'
            ? operationKind(query, typeof operationName === 'string' ? operationName : undefined)
            : undefined;
        if (kind && kind !== 'query') return refusal(400, 'BAD_REQUEST', 'A batch carries queries only.');
        const context = async () =>
          requestContext({
            db: opts.db,
            identity,
            correlationId: correlationIds[i]!,
            log: opts.log,
            createLoaders: opts.createLoaders,
            userAgent: headers[CLIENT_USER_AGENT_HEADER],
            scope,
          });
        const get = (name: string) => headers[name];
        const answer = await runInTraceContext({ get }, () =>
          executeGraphQL(apollo, { method: 'POST', headers: headerMap(headers), search: '', body }, context),
        );
        return answerOf(answer);
      }),
    );
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let raw: string;
    try {
      raw = await readBody(req, limit);
    } catch (err) {
      const refused = err as BodyError;
      return sendJsonError(res, refused.status, refused.code, refused.message);
    }
    const requests = isJson(req.headers['content-type']) ? batchOf(raw) : undefined;
    if (!requests) {
      const message = `The body must be a JSON array of 1 to ${MAX_BATCH_REQUESTS} requests, each { headers, body }.`;
      return sendJsonError(res, 400, 'BAD_REQUEST', message);
    }
    const text = JSON.stringify(await answerAll(requests));
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };
}

/** The requests of a batch body, or `undefined` when it is not one. */
function batchOf(raw: string): BatchRequest[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length < 1 || parsed.length > MAX_BATCH_REQUESTS) return undefined;
  for (const item of parsed) {
    const { headers, body } = (item ?? {}) as Partial<BatchRequest>;
    if (!isJsonObject(headers) || !isJsonObject(body)) return undefined;
    if (!Object.values(headers).every((v) => typeof v === 'string')) return undefined;
  }
  return parsed as BatchRequest[];
}

function headerMap(headers: Record<string, string>): HeaderMap {
  const map = new HeaderMap();
  for (const [name, value] of Object.entries(headers)) map.set(name, value);
  if (!map.has('content-type')) map.set('content-type', 'application/json');
  return map;
}

function answerOf(answer: HTTPGraphQLResponse): BatchAnswer {
  if (answer.body.kind !== 'complete') {
    return refusal(400, 'BAD_REQUEST', 'Incremental delivery is not available in a batch.');
  }
  return { status: answer.status ?? 200, headers: Object.fromEntries(answer.headers), body: answer.body.string };
}

function refusal(status: number, code: ErrorCode, message: string): BatchAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ errors: [{ message, extensions: { code } }] }),
  };
}
