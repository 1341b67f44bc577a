import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import type { Counter, Histogram } from 'prom-client';
import {
  CLIENT_USER_AGENT_HEADER,
  CORRELATION_HEADER,
  IDENTITY_HEADER,
  injectTraceContext,
  signIdentity,
  type Identity,
} from '@supergraph/kit';
import {
  cacheDirectives,
  entityCachePolicy,
  type CacheDirectives,
  type CachePolicy,
  type EntityCache,
} from './cache/entity.cache';
import { fetchEntities, isEntitiesFetch } from './cache/entity.fetch';
import { acceptsRawData, RawData, rawDataOf } from './raw-data';
import { CircuitBreaker, retryDelay } from './resilience/circuit.breaker';
import { asUnavailable, isRetryable, subgraphRequestErrors } from './resilience/subgraph.failure';
import { SubgraphBatcher, sentAlone, type BatchOptions } from './subgraph.batcher';
import { createSubgraphClient } from './subgraph.http-client';

/** What the router keeps per client request. */
export interface RouterContext {
  identity: Identity;
  correlationId: string;
  /** The client's User-Agent, forwarded to subgraphs (users records it per session). */
  userAgent?: string;
  /**
   * A fresh object per HTTP request, the key of what the router notes about a request while Apollo
   * Server runs it (SingleFetchShortcut): Apollo Server runs each operation on a shallow copy of
   * the context, so the context object itself is not one.
   */
  exchange?: object;
}

/** How the router treats a subgraph that fails. */
export interface ResilienceOptions {
  timeoutMs: number;
  /** Extra attempts for queries (never mutations) after a network error or 5xx. */
  queryRetries: number;
  retryBaseMs: number;
  breakerFailures: number;
  breakerOpenMs: number;
}

/** Work the router shares between client requests (see README, "Sharing and caching"). */
export interface FetchSharing {
  /** Queries batched per subgraph (SubgraphBatcher), with the batch sizes observed; none when absent. */
  batch?: BatchOptions & { sizes?: Histogram<'subgraph'> };
  /** Entities kept across requests by their `@cacheControl` hints; none when absent. */
  entities?: EntityCache;
  /** Entity-cache lookups by subgraph and outcome (hit, miss). */
  entityOutcomes?: Counter<'subgraph' | 'outcome'>;
}

type Answer = Awaited<ReturnType<RemoteGraphQLDataSource<RouterContext>['process']>>;

/**
 * A subgraph data source that signs every fetch (`x-router-identity`: the caller's identity and
 * correlation id, HS256, 60 s; `x-correlation-id`), times it per subgraph, bounds it by a timeout,
 * retries queries (never mutations) on network errors and 5xx with jittered backoff, and fails fast
 * through a per-subgraph circuit breaker while the subgraph keeps failing. With `sharing.batch`,
 * queries sent together go to the subgraph as one batch request (SubgraphBatcher), each still
 * signed, timed, retried and answered as alone.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<RouterContext> {
  readonly breaker: CircuitBreaker;
  private readonly batcher?: SubgraphBatcher;

  constructor(
    private readonly serviceName: string,
    url: string,
    private readonly secret: string,
    private readonly resilience: ResilienceOptions,
    private readonly fetchSeconds?: Histogram<'subgraph' | 'outcome'>,
    private readonly sharing: FetchSharing = {},
  ) {
    // The router's keep-alive client, not the global fetch: see createSubgraphClient.
    const client = createSubgraphClient({ timeoutMs: resilience.timeoutMs });
    super({ url, fetcher: client as never });
    const { batch } = sharing;
    if (batch && batch.maxRequests > 1) {
      const sign = (correlationIds: string) => signIdentity({}, correlationIds, secret);
      const observe = batch.sizes ? { subgraph: serviceName, sizes: batch.sizes } : undefined;
      this.batcher = new SubgraphBatcher(client, url, sign, batch, observe);
    }
    this.breaker = new CircuitBreaker({
      failureThreshold: resilience.breakerFailures,
      openMs: resilience.breakerOpenMs,
    });
  }

  /** Whether this source joins the queries sent together into one batch request (SubgraphBatcher). */
  get batches(): boolean {
    return !!this.batcher?.batches;
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): Promise<void> {
    const identity = context?.identity ?? {};
    const correlationId = context?.correlationId ?? '';
    request.http!.headers.set(IDENTITY_HEADER, await signIdentity(identity, correlationId, this.secret));
    if (correlationId) request.http!.headers.set(CORRELATION_HEADER, correlationId);
    if (context?.userAgent) request.http!.headers.set(CLIENT_USER_AGENT_HEADER, context.userAgent);
    injectTraceContext((name, value) => request.http!.headers.set(name, value)); // the gateway's fetch span
  }

  /**
   * One fetch, as `RemoteGraphQLDataSource.process` makes it (this source never enables its APQ),
   * without the node-fetch `Headers` and `Request` it builds for every fetch: the `Request` only
   * for hooks this source does not override, and with a URL parse (about 6 % of the router's CPU on
   * `case(id)`; bench/optimisations.md, entry 16). The same otherwise: `willSendRequest` sets the
   * headers, the body is the request without `http`, a non-2xx answer is the gateway's own
   * `errorFromResponse` error, a body that is not a JSON object is refused, and the answer's
   * `Cache-Control` restricts the client request's cache policy. That header also says what the
   * entity cache may keep of the answer (noted by request, for {@link process}). For a request in
   * {@link acceptsRawData}, an answer of only `data` is not parsed (see RawData).
   */
  private async send(options: Options, query: boolean): Promise<Answer> {
    const { request } = options;
    const headers = new Map<string, string>();
    for (const [name, value] of request.http?.headers ?? []) headers.set(name.toLowerCase(), value);
    headers.set('content-type', 'application/json');
    // willSendRequest and the gateway's callers only set headers and iterate them: a Map does both.
    request.http = { method: 'POST', url: this.url, headers: headers as never };
    await this.willSendRequest(options);
    if (!request.query) throw new Error('Missing query');
    const { http, ...body } = request;
    const init = { method: 'POST', headers: Object.fromEntries(http.headers), body: JSON.stringify(body) };
    // The fetcher is our SubgraphClient too (see the constructor): its answers are the same subset of a Response.
    const response = (
      query && this.batcher && !sentAlone.has(request)
        ? await this.batcher.send(init)
        : await this.fetcher(this.url, init)
    ) as Awaited<ReturnType<typeof this.fetcher>>;
    if (!response.ok) throw await this.errorFromResponse(response);
    const raw = acceptsRawData.has(request) && isJsonAnswer(response) ? rawDataOf(await response.text()) : undefined;
    const parsed: unknown = raw ? { data: raw } : await this.parseBody(response);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error(`Expected JSON response body, but received: ${String(parsed)}`);
    // The answer's Cache-Control, read once: for the entity cache and for the client's cache policy.
    const directives = cacheDirectives(response.headers.get('cache-control'));
    const policy = entityCachePolicy(directives);
    if (policy) this.policies.set(http, policy);
    restrictCachePolicy(options, directives);
    return { ...parsed, http: response } as Answer;
  }

  /**
   * Mutations go out as they are. Queries: identical ones of one identity in flight at once share
   * one fetch, and `_entities` fetches are answered from the entity cache where it allows.
   */
  override async process(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<Answer> {
    const incoming = 'incomingRequestContext' in options ? options.incomingRequestContext : undefined;
    const failed = incoming && this.failures.get(incoming);
    if (failed) {
      this.failures.delete(incoming);
      throw failed.error;
    }
    if (!isQuery(options)) return this.resilient(options, 1, false);
    const entities = this.sharing.entities;
    if (!entities?.enabled || !isEntitiesFetch(options)) return this.shared(options);
    const send = async (o: GraphQLDataSourceProcessOptions<RouterContext>) => {
      const answer = await this.shared(o);
      return { answer, policy: o.request.http ? this.policies.get(o.request.http) : undefined };
    };
    return (await fetchEntities(entities, this.serviceName, options, send, this.sharing.entityOutcomes)) as Answer;
  }

  /**
   * Makes this source's next fetch for `request` fail at once with `error`, as its last one just
   * did: the single-fetch shortcut hands a failed request to the gateway this way, so the failure is
   * worded as always without fetching (and waiting, and counting the breaker) a second time.
   */
  replayFailure(request: object, error: unknown): void {
    this.failures.set(request, { error });
  }

  private readonly failures = new WeakMap<object, { error: unknown }>();
  private readonly policies = new WeakMap<object, CachePolicy>();
  private readonly inFlight = new Map<string, { followers: number; answer: Promise<Answer> }>();

  /**
   * One fetch for identical queries in flight at once. Each caller gets its own copy when the
   * answer was shared: the gateway merges into what it receives.
   */
  private async shared(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<Answer> {
    const { request, context } = options;
    const key = `${acceptsRawData.has(request) ? 'raw' : ''}\u0000${JSON.stringify(context?.identity ?? {})}\u0000${request.query}\u0000${JSON.stringify(request.variables ?? {})}`;
    const running = this.inFlight.get(key);
    if (running) {
      running.followers++;
      return running.answer.then(copyOf);
    }
    const mine = {
      followers: 0,
      answer: this.resilient(options, 1 + this.resilience.queryRetries, true).finally(() => this.inFlight.delete(key)),
    };
    this.inFlight.set(key, mine);
    const answer = await mine.answer;
    return mine.followers ? copyOf(answer) : answer;
  }

  /** `options` sent, tried `attempts` times in all; a `query` may go in a batch. */
  private async resilient(
    options: GraphQLDataSourceProcessOptions<RouterContext>,
    attempts: number,
    query: boolean,
  ): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      if (!this.breaker.allow()) {
        this.fetchSeconds?.observe({ subgraph: this.serviceName, outcome: 'circuit_open' }, 0);
        throw new GraphQLError(
          `The ${this.serviceName} service is unavailable; retry in ${this.breaker.retryAfterSeconds()} s.`,
          {
            extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.serviceName },
          },
        );
      }
      const end = this.fetchSeconds?.startTimer({ subgraph: this.serviceName });
      try {
        const response = await this.send(options, query);
        end?.({ outcome: response.errors?.length ? 'graphql_error' : 'ok' });
        this.breaker.success();
        return response;
      } catch (err) {
        end?.({ outcome: 'fetch_error' });
        const answered = subgraphRequestErrors(err);
        if (answered) {
          this.breaker.success();
          return { errors: answered };
        }
        const retryable = isRetryable(err);
        if (retryable) this.breaker.failure();
        else this.breaker.success(); // the subgraph answered: it is up, the request was bad
        if (!retryable || attempt >= attempts) throw asUnavailable(err, this.serviceName);
        await new Promise((r) => setTimeout(r, retryDelay(attempt, this.resilience.retryBaseMs, 2_000)));
      }
    }
  }
}

type Options = GraphQLDataSourceProcessOptions<RouterContext>;

/**
 * Restricts the client request's cache policy by a subgraph answer's `Cache-Control`, as
 * `RemoteGraphQLDataSource` does (`honorSubgraphCacheControlHeader`): `max-age` in whole seconds
 * (else 0), `private` or `public` as the scope (directive names read case-insensitively, as HTTP says).
 */
function restrictCachePolicy(options: Options, directives: CacheDirectives): void {
  const policy = 'incomingRequestContext' in options ? options.incomingRequestContext.overallCachePolicy : undefined;
  if (!policy || !('restrict' in policy)) return;
  const maxAge = directives.get('max-age');
  policy.restrict({
    maxAge: typeof maxAge === 'string' && /^[0-9]+$/.test(maxAge) ? Number(maxAge) : 0,
    ...(directives.get('private') === true ? { scope: 'PRIVATE' as never } : {}),
    ...(directives.get('public') === true ? { scope: 'PUBLIC' as never } : {}),
  });
}

/** Whether a fetch is a query: from its document when given (the shortcut sends the client's text), else its text. */
function isQuery(options: GraphQLDataSourceProcessOptions<RouterContext>): boolean {
  const document = 'document' in options ? options.document : undefined;
  if (!document) return /^\s*(query\b|\{)/.test(options.request.query ?? '');
  const name = options.request.operationName;
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!name || d.name?.value === name),
  );
  return operation?.operation === 'query';
}

/**
 * A caller's own copy of a shared answer: its data and errors copied, its HTTP response (read-only)
 * shared. Raw data is text, which nobody can change: it is shared as it is.
 */
function copyOf(answer: Answer): Answer {
  if (answer.data instanceof RawData) return answer;
  const { http, ...body } = answer;
  return { ...structuredClone(body), http } as Answer;
}

/** Whether the gateway's `parseBody` would read the answer as JSON (by its content type). */
function isJsonAnswer(response: { headers: { get(name: string): string | null } }): boolean {
  const type = response.headers.get('content-type');
  return !!type && (type.startsWith('application/json') || type.startsWith('application/graphql-response+json'));
}
