import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRouter } from '../../router/src/server';
import { startDownSubgraph, type DownSubgraph } from '../support/down-subgraph';
import { routerWith } from '../support/router-with';
import { together, type Answer, type Sent } from '../support/together';
import { reportCase, signUp, uniqueWord } from './cases.fixtures';

// Two routers on the suite's subgraphs without the response cache: one merges the single-fetch
// queries that arrive within 300 ms of each other (so that requests a test sends together surely
// merge), one merges nothing. Whatever clients send together, both must answer each the same bytes,
// status and caching headers. Neither batches (subgraph-batch.test.ts), so every fetch counted here
// is a request of its own.

const MERGING = { RESPONSE_CACHE: 'false', SINGLE_FETCH_MERGE_WINDOW_MS: '300', SUBGRAPH_BATCH_MAX: '1' };
const ALONE = { RESPONSE_CACHE: 'false', SINGLE_FETCH_MERGE_MAX: '1', SUBGRAPH_BATCH_MAX: '1' };

/** A value of the router's metrics text: the line of `name` with `label` (0 when absent). */
async function metric(router: RunningRouter, name: string, label = ''): Promise<number> {
  const text = await (await fetch(new URL('/metrics', router.url))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(label));
  return Number(line?.split(' ').at(-1) ?? 0);
}

/** Merged fetches and the queries they carried, and what the shortcut served (through Apollo Server or not) and handed on. */
async function counts(router: RunningRouter) {
  return {
    merges: await metric(router, 'router_single_fetch_merged_queries_count'),
    merged: await metric(router, 'router_single_fetch_merged_queries_sum'),
    served:
      (await metric(router, 'router_single_fetch_total', 'outcome="served"')) +
      (await metric(router, 'router_single_fetch_total', 'outcome="fast"')),
    fallback: await metric(router, 'router_single_fetch_total', 'outcome="fallback"'),
  };
}

describe('merging single-fetch queries that arrive together', () => {
  let merging: RunningRouter;
  let alone: RunningRouter;
  let user: { token: string; id: string };
  let other: { token: string; id: string };
  const caseIds: string[] = [];

  beforeAll(async () => {
    [merging, alone] = await Promise.all([routerWith(MERGING), routerWith(ALONE)]);
    [user, other] = await Promise.all([signUp('merge'), signUp('merge')]);
    const word = uniqueWord('merge');
    for (let i = 0; i < 4; i++) caseIds.push((await reportCase(user.token, { description: word })).id);
  });
  afterAll(async () => {
    await Promise.all([merging?.stop(), alone?.stop()]);
  });

  /** Plans each request's document on both routers (the shortcut serves from the second request on). */
  async function planned(requests: Sent[]): Promise<void> {
    for (const router of [merging, alone]) for (const r of requests) await together(router.url, [r]);
  }

  /** {@link same} for `requests` once planned, with what the merging router counted meanwhile. */
  async function counted(requests: Sent[]) {
    await planned(requests);
    const before = await counts(merging);
    const answers = await same(requests);
    const after = await counts(merging);
    const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof typeof before]]));
    return { answers, ...(delta as typeof after) };
  }

  /** The answers both routers give to `requests` sent together (planned before); they must be the same. */
  async function same(requests: Sent[]): Promise<Answer[]> {
    const merged = await together(merging.url, requests);
    expect(merged).toEqual(await together(alone.url, requests));
    return merged;
  }

  const lookup = (id: string, token?: string): Sent => ({
    body: {
      query:
        'fragment Who on Case { childName age } query Lookup($id: ID!, $more: Boolean = true) ' +
        '{ case(id: $id) { __typename id ...Who status @include(if: $more) } }',
      variables: { id },
      operationName: 'Lookup',
    },
    token,
  });

  it('answers distinct lookups of one identity as one fetch, each client its own answer', async () => {
    const requests = [
      ...caseIds.map((id) => lookup(id, user.token)),
      lookup('00000000-0000-4000-8000-000000000000', user.token),
      lookup(caseIds[0]!, user.token),
    ];
    const { answers, ...seen } = await counted(requests);
    // The repeated lookup shares the first one's whole execution (graphqlHandler): five reach the shortcut.
    expect(seen).toEqual({ merges: 1, merged: 5, served: 5, fallback: 0 });
    expect(answers.map((a) => JSON.parse(a.body).data.case?.id ?? null)).toEqual([...caseIds, null, caseIds[0]]);
  });

  const geocode = (place: string): Sent => ({
    body: {
      query: 'query Where($place: String!) { geocode(place: $place) { query displayName } }',
      variables: { place },
    },
  });

  it('gives every merged copy the caching headers it would have alone', async () => {
    const requests = [geocode('Lyon'), geocode('Paris'), geocode('Nantes')];
    await planned(requests);
    const answers = await same(requests);
    expect(answers[0]!.cacheControl).toMatch(/max-age=\d+/);
  });

  it('hands a copy with its own error to the gateway, and fetches the others alone for their caching headers', async () => {
    const requests = [geocode('Lyon'), geocode('x'.repeat(301)), geocode('Paris')];
    const { answers, ...seen } = await counted(requests);
    expect(seen).toEqual({ merges: 1, merged: 3, served: 2, fallback: 1 });
    expect(JSON.parse(answers[1]!.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('fetches the others alone when the error of one copy leaves no data', async () => {
    // `cases` is non-null: its error nulls the whole merged answer, so no copy has data of its own.
    const page = (first: number): Sent => ({
      body: {
        query: 'query Count($first: Int) { cases(first: $first) { totalCount edges { node { id } } } }',
        variables: { first },
      },
    });
    const requests = [page(1), page(1_000), page(2)];
    const { answers, ...seen } = await counted(requests);
    expect(seen).toEqual({ merges: 1, merged: 3, served: 2, fallback: 1 });
    expect(answers.map((a) => JSON.parse(a.body).errors?.[0]?.extensions?.code)).toEqual([
      undefined,
      'BAD_USER_INPUT',
      undefined,
    ]);
  });

  it('never merges the queries of different callers', async () => {
    const me: Sent['body'] = { query: 'query Me { me { id email } }' };
    const requests = [{ body: me, token: user.token }, { body: me, token: other.token }, { body: me }];
    await planned(requests);
    const before = await counts(merging);
    const answers = await same(requests);
    expect((await counts(merging)).merges).toBe(before.merges);
    expect(answers.map((a) => JSON.parse(a.body).data?.me?.id ?? null)).toEqual([user.id, other.id, null]);
  });
});

describe('a merged fetch that fails', () => {
  let failing: DownSubgraph;
  let seen: DownSubgraph['seen'];
  let routers: RunningRouter[] = [];

  beforeAll(async () => {
    failing = await startDownSubgraph(); // the cases subgraph, down: every request gets a 503
    seen = failing.seen;
    const env = { CASES_URL: failing.url, ...failing.env };
    routers = await Promise.all([routerWith({ ...MERGING, ...env }), routerWith({ ...ALONE, ...env })]);
  });
  afterAll(async () => {
    await Promise.all(routers.map((r) => r.stop()));
    await failing.close();
  });

  it('is tried once for all its copies, fails each as it would alone, and names every correlation id', async () => {
    const lookup = (id: string, correlationId: string): Sent => ({
      body: { query: 'query Lookup($id: ID!) { case(id: $id) { id } }', variables: { id } },
      correlationId,
    });
    const ids = ['merged-a', 'merged-b', 'merged-c'];
    for (const router of routers) await together(router.url, [lookup('1', 'plan')]); // plans it
    const answers: Answer[][] = [];
    const attempts: number[] = [];
    for (const router of routers) {
      const start = seen.length;
      answers.push(
        await together(
          router.url,
          ids.map((c, i) => lookup(String(i), c)),
        ),
      );
      attempts.push(seen.length - start);
    }
    expect(attempts).toEqual([2, 6]); // one try and one retry, for the three together or each alone
    expect(answers[0]).toEqual(answers[1]);
    expect(JSON.parse(answers[0]![0]!.body).errors[0].extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect(seen.at(-7)?.headers['x-correlation-id']).toBe(ids.join(','));
  });
});
