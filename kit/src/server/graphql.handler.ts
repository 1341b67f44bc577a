import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import { InFlight } from './in-flight';
import { operationKind } from './operation.kind';
import type { ErrorCode } from '../errors/errors';
import { sendJsonError } from './json.errors';

/** What the handler needs to know of a request before it runs it. */
export interface PreparedRequest<C> {
  /** The request's context, computed lazily by Apollo Server (a rejection becomes its error answer). */
  context: () => Promise<C>;
  /**
   * Who is asking, as far as the answer depends on it (e.g. `user:<id>:<role>`, `anonymous`).
   * Identical queries with the same scope share one execution while one is in flight; `undefined`
   * means this request never shares.
   */
  shareScope?: string;
}

/** Options of {@link graphqlHandler}. */
export interface GraphQLHandlerOptions<C extends BaseContext, S> {
  apollo: ApolloServer<C>;
  /** Largest accepted body, in bytes or as `'1mb'`, `'512kb'`; larger ones answer 413 PAYLOAD_TOO_LARGE. */
  bodyLimit: number | string;
  /** Called once per request after the body is read, with what the caller handed the handler. */
  prepare: (req: IncomingMessage, res: ServerResponse, state: S) => Promise<PreparedRequest<C>> | PreparedRequest<C>;
  /** Told of every request answered with another request's result (for metrics). */
  onShared?: (operationName: string | undefined) => void;
  /**
   * Runs a request that no other request in flight answers: by default Apollo Server (`next`). A
   * server that can answer some requests more cheaply does it here, and may learn which from the
   * answers `next` gives (the router's SingleFetchFastPath).
   */
  execute?: (request: ExecutedRequest<C>, next: () => Promise<HTTPGraphQLResponse>) => Promise<HTTPGraphQLResponse>;
}

/** A request as {@link GraphQLHandlerOptions.execute} gets it. */
export interface ExecutedRequest<C> {
  req: IncomingMessage;
  /** The parsed JSON body; `undefined` for a GET, an empty body or one that is not JSON. */
  body: unknown;
  prepared: PreparedRequest<C>;
}

/** Request headers that change what Apollo Server answers, and so belong in the sharing key. */
const ANSWER_HEADERS = ['content-type', 'accept', 'apollo-require-preflight', 'x-apollo-operation-name'] as const;

/**
 * Serves GraphQL over HTTP (POST with a JSON body, GET with search parameters) through Apollo
 * Server's `executeHTTPGraphQLRequest`, without a framework in between: the body is read once with
 * a size limit, and the answer is written in one `end()`.
 *
 * In-flight sharing: a query (never a mutation or a batch) whose body, answer-relevant headers and
 * {@link PreparedRequest.shareScope} equal those of a query still executing gets that execution's
 * answer instead of running again. Nothing is kept after the leader answers, so no answer is older
 * than the request that receives it.
 */
export function graphqlHandler<C extends BaseContext, S = undefined>(opts: GraphQLHandlerOptions<C, S>) {
  const inFlight = new InFlight<HTTPGraphQLResponse>();
  const limit = typeof opts.bodyLimit === 'number' ? opts.bodyLimit : parseByteSize(opts.bodyLimit);
  return async (req: IncomingMessage, res: ServerResponse, state: S): Promise<void> => {
    let raw: string | undefined;
    if (req.method === 'POST') {
      raw = await readBody(req, limit).catch((err: BodyError) => {
        sendJsonError(res, err.status, err.code, err.message);
        return undefined;
      });
      if (raw === undefined) return;
    }
    let body: unknown;
    if (raw !== undefined && isJson(req.headers['content-type'])) {
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        return sendJsonError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
      }
    }
    const prepared = await opts.prepare(req, res, state);
    const key = prepared.shareScope !== undefined && raw ? shareKey(req, raw, body, prepared.shareScope) : undefined;
    const apollo = () => execute(opts.apollo, req, body, prepared.context);
    const custom = opts.execute;
    const run = custom ? () => custom({ req, body, prepared }, apollo) : apollo;
    const answer = key ? await inFlight.run(key, run, () => opts.onShared?.(operationNameOf(body))) : await run();
    await write(res, answer);
  };
}

/** The sharing key of a query request, or `undefined` when it must run on its own. */
function shareKey(req: IncomingMessage, raw: string, body: unknown, scope: string): string | undefined {
  if (!isJsonObject(body)) return undefined;
  const { query, operationName } = body;
  if (
    typeof query !== 'string' ||
    operationKind(query, typeof operationName === 'string' ? operationName : undefined) !== 'query'
  ) {
    return undefined;
  }
  let key = scope;
  for (const name of ANSWER_HEADERS) key += `\n${req.headers[name] ?? ''}`;
  return `${key}\n${raw}`;
}

async function execute<C extends BaseContext>(
  apollo: ApolloServer<C>,
  req: IncomingMessage,
  body: unknown,
  context: () => Promise<C>,
) {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return executeGraphQL(
    apollo,
    { method: req.method ?? 'GET', headers, search: q < 0 ? '' : url.slice(q), body },
    context,
  );
}

/** One GraphQL request as Apollo Server's HTTP layer takes it, read from wherever it came. */
export interface GraphQLHttpRequest {
  method: string;
  headers: HeaderMap;
  /** The URL's query string with its `?`, or `''`. */
  search: string;
  /** The parsed JSON body, `undefined` for none. */
  body: unknown;
}

/** Runs one request through Apollo Server (its whole HTTP pipeline: negotiation, plugins, errors). */
export function executeGraphQL<C extends BaseContext>(
  apollo: ApolloServer<C>,
  request: GraphQLHttpRequest,
  context: () => Promise<C>,
): Promise<HTTPGraphQLResponse> {
  return apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { ...request, method: request.method.toUpperCase() },
    context,
  });
}

async function write(res: ServerResponse, answer: HTTPGraphQLResponse): Promise<void> {
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.statusCode = answer.status ?? 200;
  if (answer.body.kind === 'complete') {
    res.end(answer.body.string);
    return;
  }
  for await (const chunk of answer.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Why a body was refused: the status and code to answer. */
export interface BodyError {
  status: number;
  code: ErrorCode;
  message: string;
}

/** The request body as text, refusing more than `limit` bytes (413) and broken uploads (400). */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    req.resume();
    return Promise.reject<string>(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', () =>
      reject({ status: 400, code: 'BAD_REQUEST', message: 'The request body could not be read.' } satisfies BodyError),
    );
  });
}

const tooLarge = (): BodyError => ({
  status: 413,
  code: 'PAYLOAD_TOO_LARGE',
  message: 'The request body is too large.',
});

/** Whether a parsed JSON value is an object (not `null`, not an array): a request body or one of its maps. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a content type is JSON (`application/json`, any parameters). */
export function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  return contentType.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}

function operationNameOf(body: unknown): string | undefined {
  const name = (body as { operationName?: unknown } | undefined)?.operationName;
  return typeof name === 'string' ? name : undefined;
}

/** `'1mb'`, `'512kb'`, `'100b'` or a plain number of bytes, as body-parser reads its `limit`. */
export function parseByteSize(size: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(size);
  if (!m) throw new RangeError(`Not a byte size: ${size}`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return Math.floor(Number(m[1]) * unit);
}
