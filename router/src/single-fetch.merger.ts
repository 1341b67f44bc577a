import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import type { DocumentNode, GraphQLFormattedError } from 'graphql';
import type { Histogram } from 'prom-client';
import { bindTraceContext, inClientSpan } from '@supergraph/kit';
import {
  copiesData,
  copyOfError,
  mergedOperation,
  mergedVariables,
  splitDataText,
  type Mergeable,
  type MergedOperation,
} from './merged.operation';
import { acceptsRawData, RawData } from './raw-data';
import type { RouterContext, SignedDataSource } from './signed.datasource';
import { sentAlone } from './subgraph.batcher';

/** `GraphQLDataSourceRequestKind.INCOMING_OPERATION`, which @apollo/gateway does not export. */
const INCOMING_OPERATION = 'incoming operation' as never;

/** The gateway as Apollo Server sees it. */
export type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
/** The gateway's executor, as Apollo Server calls it. */
export type Executor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;
/** A client request as the gateway's executor gets it. */
export type ClientRequest = Parameters<Executor>[0];
/** What a fetch for one client request answered: its `data` or its errors. */
export interface FetchAnswer {
  data?: unknown;
  errors?: readonly GraphQLFormattedError[];
}

/** The subgraph that answers a whole operation alone, as its query plan showed. */
export interface Route {
  serviceName: string;
  dataSource: SignedDataSource;
  /** How copies of the operation merge; absent when they cannot (see mergeableOf). */
  mergeable?: Mergeable;
}

/** How far the router merges. */
export interface MergeOptions {
  /** Most client operations in one merged fetch; 1 merges nothing. */
  maxCopies: number;
  /**
   * How long a query waits for others to merge with. 0: only while a fetch of its lane is out, and
   * then until the end of the event loop's turn (setImmediate).
   */
  windowMs: number;
}

interface Waiting {
  rc: ClientRequest;
  resolve(answer: FetchAnswer): void;
  reject(err: unknown): void;
}

/** The shortcut's queries of one document, from every caller: their lanes, and how many fetches are out. */
interface DocumentLanes {
  lanes: Map<string, Lane>;
  /** Fetches of these lanes not settled yet. */
  inFlight: number;
  /** Lanes queued for the next flush. */
  queued: number;
}

/** The shortcut's queries of one document and operation from one caller: fetches out, and who waits. */
interface Lane {
  of: DocumentLanes;
  key: string;
  route: Route;
  mergeable: Mergeable;
  /** Fetches of this lane not settled yet. */
  inFlight: number;
  waiting: Waiting[];
  /** Runs the lane's next fetches in the trace context of the first request waiting for them. */
  inContext: <T>(fn: () => T) => T;
}

/**
 * Sends the single-fetch shortcut's queries on, merging those that arrive together into one
 * subgraph operation: the same document and operation, the same identity and User-Agent (so the
 * same subgraph). Each copy's root fields are aliased and its variables renamed (merged.operation),
 * so the subgraph runs them as one request, and its DataLoaders batch their entities into one
 * statement; each client gets its own part of the answer, written as text (RawData). Only
 * documents whose copies can be made exactly merge (see mergeableOf); the others go alone at once.
 *
 * When to wait: with no window (the default), a query goes out at once unless a fetch of its lane
 * (document, operation, caller) is still out; then it waits for the end of the event loop's turn,
 * and what arrived meanwhile goes as one fetch. So an idle router adds no wait, and a busy one
 * merges. Where the subgraph takes batches (SubgraphBatcher), a query waits while a fetch of its
 * document from any caller is out: the lanes that waited together are sent in one go, so their
 * fetches (one per caller) go as one batch request. Merged fetches go alone (sentAlone). With a window, every query waits that long.
 *
 * What stays as without merging: identities never mix (each operation carries one signed
 * identity); identical copies share one part, as identical fetches share one fetch; an answer
 * without errors restricts every copy's cache policy by its `Cache-Control` (the policy of all the
 * copies' fields: with static hints, each copy's own). With errors, a copy with errors of its own,
 * or every copy when an error names no copy, gets the errors, so the shortcut hands it to the
 * gateway, which fetches it alone and words its errors as always; the other copies are fetched
 * alone (splitAnswer). A merged fetch that failed (network, timeout, open breaker) fails each copy
 * with its error, tried and retried once for all. The merged fetch carries every copy's
 * correlation id, comma-separated, so subgraph logs name them all.
 */
export class SingleFetchMerger {
  private readonly documents = new WeakMap<DocumentNode, DocumentLanes>();
  private queued: Lane[] = [];
  private scheduled = false;

  constructor(
    private readonly options: MergeOptions,
    private readonly copiesPerFetch?: Histogram<'subgraph'>,
  ) {}

  /** The answer to `rc` from `route`: fetched alone or merged with others arriving now. */
  fetch(route: Route, rc: ClientRequest): Promise<FetchAnswer> {
    const { mergeable } = route;
    if (!mergeable || this.options.maxCopies < 2) return fetchAlone(route, rc);
    const lane = this.laneOf(route, rc, mergeable);
    const busy = route.dataSource.batches
      ? lane.of.inFlight > 0 || lane.of.queued > 0
      : lane.inFlight > 0 || lane.waiting.length > 0;
    if (this.options.windowMs === 0 && !busy) return this.tracked(lane, fetchAlone(route, rc));
    if (!lane.waiting.length) {
      lane.inContext = bindTraceContext();
      this.queued.push(lane);
      lane.of.queued++;
    }
    const answer = new Promise<FetchAnswer>((resolve, reject) => lane.waiting.push({ rc, resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      if (this.options.windowMs > 0) setTimeout(this.flush, this.options.windowMs);
      else setImmediate(this.flush);
    }
    return answer;
  }

  private laneOf(route: Route, rc: ClientRequest, mergeable: Mergeable): Lane {
    const context = rc.context as RouterContext;
    const key = `${rc.request.operationName ?? ''}\u0000${context.userAgent ?? ''}\u0000${JSON.stringify(context.identity)}`;
    let of = this.documents.get(rc.document);
    if (!of) this.documents.set(rc.document, (of = { lanes: new Map(), inFlight: 0, queued: 0 }));
    let lane = of.lanes.get(key);
    if (!lane) {
      lane = { of, key, route, mergeable, inFlight: 0, waiting: [], inContext: bindTraceContext() };
      of.lanes.set(key, lane);
    }
    return lane;
  }

  /** `fetch`, counted as out for its lane until it settles; an idle lane is forgotten. */
  private tracked<T>(lane: Lane, fetch: Promise<T>): Promise<T> {
    lane.inFlight++;
    lane.of.inFlight++;
    const settled = () => {
      lane.of.inFlight--;
      if (--lane.inFlight === 0 && !lane.waiting.length) lane.of.lanes.delete(lane.key);
    };
    fetch.then(settled, settled);
    return fetch;
  }

  private readonly flush = (): void => {
    const queued = this.queued;
    this.queued = [];
    this.scheduled = false;
    for (const lane of queued) {
      const waiting = lane.waiting;
      lane.waiting = [];
      lane.of.queued--;
      lane.inContext(() => this.send(lane, waiting));
    }
  };

  /** What waited in one lane: its distinct variables as copies, up to the most that fit in one fetch each. */
  private send(lane: Lane, waiting: Waiting[]): void {
    const copies = new Map<string, Waiting[]>();
    for (const w of waiting) {
      const variables = JSON.stringify(w.rc.request.variables ?? {});
      const same = copies.get(variables);
      if (same) same.push(w);
      else copies.set(variables, [w]);
    }
    const all = [...copies.values()];
    const most = Math.min(this.options.maxCopies, lane.mergeable.maxCopies);
    for (let start = 0; start < all.length; start += most) {
      const group = all.slice(start, start + most);
      if (group.length === 1) {
        // Nothing to merge with: alone, as identical fetches in flight share one (SignedDataSource).
        for (const w of group[0]!) settle(w, this.tracked(lane, fetchAlone(lane.route, w.rc)));
      } else {
        const merged = mergedOperation(lane.mergeable, group.length);
        void this.tracked(lane, this.sendMerged(lane, merged, group));
      }
    }
  }

  private async sendMerged(lane: Lane, merged: MergedOperation, copies: Waiting[][]): Promise<void> {
    const { route } = lane;
    const first = copies[0]![0]!.rc;
    const everyone = copies.flat();
    this.copiesPerFetch?.observe({ subgraph: route.serviceName }, everyone.length);
    const request = {
      query: merged.query,
      variables: mergedVariables(
        merged,
        copies.map((same) => same[0]!.rc.request.variables),
      ),
      operationName: first.request.operationName,
    };
    acceptsRawData.add(request);
    sentAlone.add(request); // already one request for many clients: never in a batch
    const context: RouterContext = {
      ...(first.context as RouterContext),
      correlationId: everyone.map((w) => (w.rc.context as RouterContext).correlationId).join(','),
    };
    // The merged answer's Cache-Control, kept for every copy's policy (SignedDataSource reads only this).
    const hints: object[] = [];
    const incomingRequestContext = { overallCachePolicy: { restrict: (hint: object) => hints.push(hint) } };
    let answer: FetchAnswer;
    try {
      answer = await inClientSpan(
        'router.single_fetch',
        { 'supergraph.subgraph': route.serviceName, 'supergraph.merged_copies': String(everyone.length) },
        () =>
          route.dataSource.process({
            kind: INCOMING_OPERATION,
            request,
            incomingRequestContext: incomingRequestContext as never,
            context,
            document: merged.document,
          }),
      );
    } catch (err) {
      for (const waiting of everyone) waiting.reject(err);
      return;
    }
    if (!answer.errors?.length) {
      for (const w of everyone) for (const hint of hints) w.rc.overallCachePolicy.restrict(hint);
    }
    const parts = splitAnswer(answer, copies.length);
    copies.forEach((same, i) => {
      const part = parts[i]!;
      for (const waiting of same) {
        if (part === 'alone') settle(waiting, this.tracked(lane, fetchAlone(route, waiting.rc)));
        else waiting.resolve(part);
      }
    });
  }
}

/** A copy's part of a merged answer: what it answered, or `alone` when only a fetch of its own can tell. */
export type Part = FetchAnswer | 'alone';

/**
 * Each copy's part of a merged answer. Without errors: its data, as text. With errors that each
 * name a copy: that copy gets its own errors, and every other copy must be fetched alone, because
 * the merged answer's `Cache-Control` (no-store with errors) and, when a non-null root field
 * failed, its data say nothing about them. An error that names no copy: every copy gets all errors.
 */
export function splitAnswer(answer: FetchAnswer, copies: number): Part[] {
  const errors = answer.errors ?? [];
  if (answer.data instanceof RawData) {
    // Data only (rawDataOf): cut each copy's text out, unparsed, when it is as the subgraph writes it.
    const texts = splitDataText(answer.data.json, copies);
    if (texts) return texts.map((text) => ({ data: new RawData(text) }));
  }
  const data = (answer.data instanceof RawData ? answer.data.toJSON() : answer.data) as
    Record<string, unknown> | null | undefined;
  if (!errors.length) {
    // No data and no errors: the gateway's to word, for each copy.
    if (!data) return Array.from({ length: copies }, () => ({}));
    return copiesData(data, copies).map((own) => ({ data: new RawData(JSON.stringify(own)) }));
  }
  const byCopy: GraphQLFormattedError[][] = Array.from({ length: copies }, () => []);
  for (const error of errors) {
    const i = copyOfError(error, copies);
    if (i === undefined) return Array.from({ length: copies }, () => ({ errors }));
    byCopy[i]!.push(error);
  }
  return byCopy.map((own) => (own.length ? { errors: own } : 'alone'));
}

function fetchAlone(route: Route, rc: ClientRequest): Promise<FetchAnswer> {
  const request = { query: rc.source, variables: rc.request.variables, operationName: rc.request.operationName };
  acceptsRawData.add(request);
  return inClientSpan('router.single_fetch', { 'supergraph.subgraph': route.serviceName }, () =>
    route.dataSource.process({
      kind: INCOMING_OPERATION,
      request,
      incomingRequestContext: rc as never,
      context: rc.context as RouterContext,
      document: rc.document,
    }),
  );
}

function settle(waiting: Waiting, answer: Promise<FetchAnswer>): void {
  answer.then(waiting.resolve, waiting.reject);
}
