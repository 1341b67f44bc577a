import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import { HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import {
  getOperationAST,
  getVariableValues,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { checkOperationInput, LruCache, type ExecutedRequest, type ServiceMetrics } from '@supergraph/kit';
import type { LimitsPolicy } from './limits/limits.policy';
import { stringifyResult } from './raw-data';
import type { RouterMetrics } from './router.metrics';
import type { RouterContext } from './signed.datasource';
import type { SingleFetchShortcut } from './single-fetch.shortcut';
import type { ClientRequest, Route } from './single-fetch.merger';
import { queryOf, type QueryBody, type TextBody } from './single-fetch.request';

/** What the fast path needs of the router. */
export interface FastPathOptions {
  shortcut: SingleFetchShortcut;
  limits: Pick<LimitsPolicy, 'checkOperation'>;
  metrics: Pick<ServiceMetrics, 'operations' | 'operationSeconds'> & Pick<RouterMetrics, 'singleFetch'>;
  /**
   * Whether Apollo's response cache is on. Then only queries whose answers were not cacheable
   * (`no-store`) take the fast path, which neither reads nor fills the cache.
   */
  responseCache: boolean;
  /** Most query texts remembered (least recently used ones are forgotten). */
  capacity?: number;
}

/** A query text (with its operation name) the shortcut answered: all it takes to answer it again. */
interface KnownQuery {
  route: Route;
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

const FAST = { outcome: 'fast' } as const;
const FALLBACK = { outcome: 'fallback' } as const;

/**
 * Answers queries the single-fetch shortcut has answered before without Apollo Server's request
 * pipeline: on the router's busiest path (one entity from one subgraph) that pipeline cost about
 * 40 % of the router's CPU per request (bench/optimisations.md, entry 26). It learns from Apollo
 * Server's answers: a query text and operation name that Apollo Server parsed, validated and
 * planned, and that the shortcut then answered, is known; so is the content type Apollo Server
 * negotiated for each `Accept` header. A request for a known query, with a known `Accept`, is
 * then checked and answered here, each step as Apollo Server's pipeline does it:
 *
 * - the caller's context (token verified, per-user rate limit counted: the route's `prepare`);
 * - the variables against the operation's definitions in the API schema (graphql-js coercion),
 *   the cost limit and safelist (`limits.checkOperation`) and the input checks (`checkOperationInput`);
 * - the fetch as the shortcut makes it (merged or batched with others);
 * - the answer: the subgraph's `data` as text, the negotiated `Content-Type`, and `Cache-Control`
 *   from the subgraph's hints as Apollo's cache-control plugin computes it; the operation counted
 *   and timed in the same metrics.
 *
 * APQ: a request with only a hash (`extensions.persistedQuery`) is answered here when a hash-only
 * or registering request for it was answered through Apollo Server before (its text then known,
 * sha256 checked); registering requests (a text with its hash) always go through Apollo Server,
 * which checks and stores the hash for every replica. So a hash this router learnt is answered even
 * after the APQ store forgot it, where Apollo Server would have asked for the text again.
 *
 * Whatever the fast path does not answer goes to Apollo Server (`next`) as before: an unknown
 * query or hash, other `extensions` than `persistedQuery` and `clientLibrary`, a GET that is not
 * surely safe from CSRF (see queryOf), a context that fails (Apollo Server words the error),
 * variables or input refused (Apollo Server refuses them in its words). A fetch that answered
 * errors or failed is not made twice: the shortcut hands the request to the gateway at once
 * ({@link SingleFetchShortcut.handOver}). Known queries are forgotten when the supergraph changes
 * (the hashes' texts stay true).
 */
export class SingleFetchFastPath {
  private readonly known: LruCache<string, KnownQuery>;
  /** APQ hashes and the texts they stand for, learnt from Apollo Server's answers (never wrong: sha256 checked). */
  private readonly texts: LruCache<string, string>;
  private readonly contentTypes = new LruCache<string, string>(64);
  private apiSchema?: GraphQLSchema;
  /** Counts supergraph changes: an answer to a request begun on an older one teaches nothing. */
  private generation = 0;

  constructor(private readonly opts: FastPathOptions) {
    this.known = new LruCache(opts.capacity ?? 2_000);
    this.texts = new LruCache(opts.capacity ?? 2_000);
  }

  /** Watches the gateway's schema: a new supergraph forgets every known query. */
  attach(gateway: ApolloGateway): void {
    gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
      this.apiSchema = apiSchema;
      this.generation++;
      this.known.clear();
    });
  }

  /** For the GraphQL handler's `execute`: answers a known query, else runs `next` and learns from it. */
  readonly execute = async (
    { req, body, prepared }: ExecutedRequest<RouterContext>,
    next: () => Promise<HTTPGraphQLResponse>,
  ): Promise<HTTPGraphQLResponse> => {
    const query = queryOf(req, body);
    if (!query || !this.opts.shortcut.applies) return next();
    const context = await prepared.context().catch(() => undefined);
    if (!context) return next();
    const accept = String(req.headers.accept ?? '');
    // A body with both a text and a hash registers the hash: Apollo Server checks and stores it.
    const registers = query.query !== undefined && query.hash !== undefined;
    const text = query.query ?? (query.hash !== undefined ? this.texts.get(query.hash) : undefined);
    const key = text !== undefined && !registers ? keyOf(query.operationName, text) : undefined;
    const known = key !== undefined ? this.known.get(key) : undefined;
    const contentType = this.contentTypes.get(accept);
    if (!known || !contentType) {
      const generation = this.generation;
      const answer = await next();
      if (generation === this.generation) this.learn(query, accept, context, answer);
      return answer;
    }
    return (await this.answer(key!, known, { ...query, query: text! }, context, contentType)) ?? next();
  };

  /** Notes a query the shortcut answered through Apollo Server, with the content type it negotiated. */
  private learn(query: QueryBody, accept: string, context: RouterContext, answer: HTTPGraphQLResponse) {
    const served = this.opts.shortcut.servedFor(context);
    const contentType = answer.headers.get('content-type');
    if (!served || !contentType || (answer.status ?? 200) !== 200 || answer.body.kind !== 'complete') return;
    if (this.opts.responseCache && answer.headers.get('cache-control') !== 'no-store') return;
    const operation = getOperationAST(served.document, query.operationName);
    if (!operation) return;
    if (query.hash !== undefined) {
      // Apollo Server resolved or registered the hash, after checking it; checked again, once per hash.
      if (createHash('sha256').update(served.source).digest('hex') !== query.hash) return;
      this.texts.set(query.hash, served.source);
    }
    this.known.set(keyOf(query.operationName, served.source), {
      route: served.route,
      document: served.document,
      operation,
    });
    this.contentTypes.set(accept, contentType);
  }

  /** The answer to a known query, or `undefined` when Apollo Server must answer it. */
  private async answer(
    key: string,
    known: KnownQuery,
    query: TextBody,
    context: RouterContext,
    contentType: string,
  ): Promise<HTTPGraphQLResponse | undefined> {
    const { metrics, shortcut } = this.opts;
    const end = metrics.operationSeconds.startTimer();
    if (!this.accepts(known, query)) return undefined;
    const policy = new CachePolicy();
    const rc = {
      request: { query: query.query, variables: query.variables, operationName: query.operationName },
      context,
      source: query.query,
      document: known.document,
      overallCachePolicy: policy,
    } as unknown as ClientRequest;
    let fetched;
    try {
      fetched = await shortcut.fetch(known.route, rc);
    } catch (error) {
      metrics.singleFetch.inc(FALLBACK);
      shortcut.handOver(context, known.route, { error });
      return undefined;
    }
    if (fetched.errors?.length || !fetched.data) {
      metrics.singleFetch.inc(FALLBACK);
      shortcut.handOver(context, known.route);
      return undefined;
    }
    metrics.singleFetch.inc(FAST);
    const operation = known.operation.name?.value ?? 'anonymous';
    end({ operation });
    metrics.operations.inc({ operation, outcome: 'ok' });
    const cacheControl = policy.header();
    // Cacheable now: the next request goes through Apollo Server, whose response cache keeps it.
    if (this.opts.responseCache && cacheControl !== 'no-store') this.known.delete(key);
    return {
      status: 200,
      headers: new HeaderMap([
        ['content-type', contentType],
        ['cache-control', cacheControl],
      ]),
      body: { kind: 'complete', string: stringifyResult({ data: fetched.data }) },
    };
  }

  /** Whether the request's variables coerce and pass the limits and input checks (else Apollo Server words why not). */
  private accepts(known: KnownQuery, query: TextBody): boolean {
    const schema = this.apiSchema;
    if (!schema) return false;
    const variables = query.variables ?? {};
    try {
      if (getVariableValues(schema, known.operation.variableDefinitions ?? [], variables).errors) return false;
      this.opts.limits.checkOperation({ document: known.document, operationName: query.operationName, variables });
      checkOperationInput(schema, known.document, known.operation, variables);
      return true;
    } catch {
      return false;
    }
  }
}

/** The known-query key of a text and operation name. */
const keyOf = (operationName: string | undefined, text: string) => `${operationName ?? ''}\u0000${text}`;

/**
 * The cache policy of one answer, restricted by the subgraph's hints (SignedDataSource), and its
 * `Cache-Control` as Apollo Server's cache-control plugin writes it for an answer without errors.
 */
export class CachePolicy {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';

  restrict(hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }): void {
    if (hint.maxAge !== undefined && (this.maxAge === undefined || hint.maxAge < this.maxAge))
      this.maxAge = hint.maxAge;
    if (hint.scope !== undefined && this.scope !== 'PRIVATE') this.scope = hint.scope;
  }

  header(): string {
    if (!this.maxAge) return 'no-store';
    return `max-age=${this.maxAge}, ${(this.scope ?? 'PUBLIC').toLowerCase()}`;
  }
}
