import { STATUS_CODES } from 'node:http';
import type { Histogram } from 'prom-client';
import { BATCH_PATH, CORRELATION_HEADER, IDENTITY_HEADER, type BatchAnswer } from '@supergraph/kit';
import type { SubgraphClient, SubgraphRequest, SubgraphResponse } from './subgraph.http-client';

/** How far the router batches a subgraph's queries (see SubgraphBatcher). */
export interface BatchOptions {
  /** Most queries in one batch request; 1 batches nothing. */
  maxRequests: number;
  /**
   * How long a query waits for others to batch with. 0: it waits for nothing, and only queries
   * sent in one go (by one callback and the microtasks it starts, before `process.nextTick`)
   * share a batch.
   */
  windowMs: number;
}

/**
 * Fetch requests (the gateway's `request` objects) that go alone even when others are sent with
 * them: merged operations (SingleFetchMerger), each already one request for many clients. In an
 * A/B run, batching them made `case(id)` 35 % slower, at 0.22 against 0.15 ms of router CPU per
 * request (bench/optimisations.md, entry 24). A likely reason: a batch is answered only when all
 * of it is done, so the router waits for the last of its merged operations instead of handling
 * the first while the subgraph runs the next.
 */
export const sentAlone = new WeakSet<object>();

/** How long a subgraph that has no batch endpoint gets every query alone before the next try. */
const UNBATCHED_MS = 60_000;

interface Queued {
  init: SubgraphRequest;
  resolve(response: SubgraphResponse): void;
  reject(err: unknown): void;
}

/**
 * Sends one subgraph's queries, joining those sent together into one `POST /graphql/batch` (kit,
 * subgraph.batch): each keeps its own headers (its signed identity, correlation id, trace context)
 * and gets its own answer, as if it had been sent alone. This joins what merging into one
 * operation cannot (SingleFetchMerger): the queries of different callers, which the merger sends
 * in one go when they arrive together. The subgraph runs them in one request, and its loaders
 * read their entities in one statement.
 *
 * When to join: with no window (the default), a query waits for nothing. The queries sent before
 * the router's current work is done (`process.nextTick` after the microtasks that sent them) go
 * as one batch, a query sent alone goes alone. With a window, every query waits that long.
 *
 * Failures stay per query: a batch refused with a non-2xx status answers each of its queries with
 * that response, and one that fails on the network fails each with the error, so the data source
 * words, retries and counts each as it would have alone. The exception is 404 or 405, a subgraph
 * without the batch endpoint: its queries are sent again alone, and so is every query for a
 * minute. Only queries may come here (the caller's to ensure): the subgraph refuses a mutation in
 * a batch.
 */
export class SubgraphBatcher {
  private queue: Queued[] = [];
  private scheduled = false;
  private readonly batchUrl: string;

  /**
   * `url` is the subgraph's `/graphql`; `sign` signs a batch as the router's for the correlation
   * ids it carries (the batch's own identity header: each query keeps its own).
   */
  constructor(
    private readonly client: SubgraphClient,
    private readonly url: string,
    private readonly sign: (correlationIds: string) => Promise<string>,
    private readonly options: BatchOptions,
    private readonly observe?: { subgraph: string; sizes: Histogram<'subgraph'> },
  ) {
    this.batchUrl = batchUrlOf(url);
  }

  /**
   * Whether queries sent together go as one request: never with at most 1 per batch, and not for a
   * while after the subgraph answered that it has no batch endpoint (404 or 405).
   */
  get batches(): boolean {
    return this.options.maxRequests > 1 && (this.aloneUntil === 0 || Date.now() >= this.aloneUntil);
  }

  private aloneUntil = 0;

  /** The answer to one query, sent alone or in a batch with the others sent with it. */
  send(init: SubgraphRequest): Promise<SubgraphResponse> {
    if (!this.batches) return this.client(this.url, init);
    const answer = new Promise<SubgraphResponse>((resolve, reject) => this.queue.push({ init, resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      if (this.options.windowMs > 0) setTimeout(this.flush, this.options.windowMs);
      else process.nextTick(this.flush);
    }
    return answer;
  }

  private readonly flush = (): void => {
    const queue = this.queue;
    this.queue = [];
    this.scheduled = false;
    for (let start = 0; start < queue.length; start += this.options.maxRequests) {
      const group = queue.slice(start, start + this.options.maxRequests);
      if (group.length > 1) void this.sendBatch(group);
      else this.client(this.url, group[0]!.init).then(group[0]!.resolve, group[0]!.reject);
    }
  };

  private async sendBatch(group: Queued[]): Promise<void> {
    this.observe?.sizes.observe({ subgraph: this.observe.subgraph }, group.length);
    let answers: BatchAnswer[] | SubgraphResponse;
    try {
      const items = group.map(({ init }) => ({ headers: headersOf(init), body: init.body }));
      const correlationIds = items.map((item) => item.headers[CORRELATION_HEADER] ?? '').join(',');
      // Each body is JSON text already: written into the batch as it is, not parsed and written again.
      const body = `[${items.map((item) => `{"headers":${JSON.stringify(item.headers)},"body":${item.body}}`).join(',')}]`;
      const response = await this.client(this.batchUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [IDENTITY_HEADER]: await this.sign(correlationIds),
          [CORRELATION_HEADER]: correlationIds,
        },
        body,
      });
      if (response.status === 404 || response.status === 405) {
        // A subgraph without the batch endpoint (an older one, during a rolling update): alone, for a while.
        this.aloneUntil = Date.now() + UNBATCHED_MS;
        for (const { init, resolve, reject } of group) this.client(this.url, init).then(resolve, reject);
        return;
      }
      answers = response.ok ? answersOf(await response.text(), group.length) : response;
    } catch (err) {
      for (const queued of group) queued.reject(err);
      return;
    }
    if (!Array.isArray(answers)) {
      // Refused whole (e.g. 503 while the subgraph drains): every query gets that answer, as alone.
      for (const queued of group) queued.resolve(answers);
      return;
    }
    group.forEach((queued, i) => queued.resolve(responseOf(this.url, answers[i]!)));
  }
}

/** The batch endpoint next to a subgraph's `/graphql` URL (query string kept). */
export function batchUrlOf(url: string): string {
  const u = new URL(url);
  u.pathname = u.pathname.replace(/\/graphql\/?$/, '') + BATCH_PATH;
  return u.toString();
}

function headersOf(init: SubgraphRequest): Record<string, string> {
  const entries =
    Array.isArray(init.headers) || Symbol.iterator in init.headers
      ? [...(init.headers as Iterable<[string, string]>)]
      : Object.entries(init.headers);
  const headers: Record<string, string> = {};
  for (const [name, value] of entries) headers[name.toLowerCase()] = value;
  return headers;
}

/** A batch's answers, checked to be one {@link BatchAnswer} per query; throws otherwise. */
function answersOf(text: string, count: number): BatchAnswer[] {
  const answers = JSON.parse(text) as unknown;
  const valid =
    Array.isArray(answers) &&
    answers.length === count &&
    answers.every(
      (a: Partial<BatchAnswer>) =>
        typeof a?.status === 'number' &&
        typeof a.body === 'string' &&
        typeof a.headers === 'object' &&
        a.headers !== null,
    );
  if (!valid) throw new Error(`The subgraph's batch answer is not ${count} answers.`);
  return answers as BatchAnswer[];
}

function responseOf(url: string, answer: BatchAnswer): SubgraphResponse {
  const { status, headers, body } = answer;
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: STATUS_CODES[status] ?? '',
    url,
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    text: async () => body,
    json: async () => JSON.parse(body) as unknown,
  };
}
