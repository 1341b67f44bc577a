import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRouter } from '../../router/src/server';
import { startDownSubgraph, type DownSubgraph } from '../support/down-subgraph';
import { routerWith } from '../support/router-with';
import { together, type Answer, type Sent } from '../support/together';
import { reportCase, signUp, uniqueWord } from './cases.fixtures';

// Routers on the suite's subgraphs without the response cache or merging: one batches the queries
// for a subgraph that arrive within 300 ms of each other (so that requests a test sends together
// surely go as one batch request), one sends every query alone, and a third batches and merges.
// Whatever clients send together, each must answer the same bytes, status and caching headers as
// the one that sends every query alone.

const PLAIN = { RESPONSE_CACHE: 'false', SINGLE_FETCH_MERGE_MAX: '1' };
const BATCHING = { ...PLAIN, SUBGRAPH_BATCH_WINDOW_MS: '300' };
const ALONE = { ...PLAIN, SUBGRAPH_BATCH_MAX: '1' };
const MERGING_TOO = { ...BATCHING, SINGLE_FETCH_MERGE_MAX: '8', SINGLE_FETCH_MERGE_WINDOW_MS: '300' };

/** Batch requests the router sent and the queries they carried, by subgraph. */
async function batches(router: RunningRouter, subgraph: string) {
  const text = await (await fetch(new URL('/metrics', router.url))).text();
  const value = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`subgraph="${subgraph}"`));
    return Number(line?.split(' ').at(-1) ?? 0);
  };
  return {
    batches: value('router_subgraph_batched_queries_count'),
    queries: value('router_subgraph_batched_queries_sum'),
  };
}

describe('batching the queries of different callers for one subgraph', () => {
  let batching: RunningRouter;
  let alone: RunningRouter;
  let mergingToo: RunningRouter;
  let users: { token: string; id: string }[];
  let caseId: string;

  beforeAll(async () => {
    [batching, alone, mergingToo] = await Promise.all([
      routerWith(BATCHING),
      routerWith(ALONE),
      routerWith(MERGING_TOO),
    ]);
    users = await Promise.all([signUp('batch'), signUp('batch'), signUp('batch')]);
    caseId = (await reportCase(users[0]!.token, { description: uniqueWord('batch') })).id;
  });
  afterAll(async () => {
    await Promise.all([batching?.stop(), alone?.stop(), mergingToo?.stop()]);
  });

  /** The answers both routers give to `requests` sent together, and the batches the first one sent. */
  async function same(requests: Sent[], subgraph: string) {
    const before = await batches(batching, subgraph);
    const answers = await together(batching.url, requests);
    const after = await batches(batching, subgraph);
    expect(answers).toEqual(await together(alone.url, requests));
    return { answers, batches: after.batches - before.batches, queries: after.queries - before.queries };
  }

  const me = { query: 'query Me { me { id email displayName } }' };

  it('answers every caller their own `me` from one batch request, as each alone', async () => {
    const requests: Sent[] = [...users.map((u) => ({ body: me, token: u.token })), { body: me }];
    const { answers, ...seen } = await same(requests, 'users');
    expect(seen).toEqual({ batches: 1, queries: 4 });
    expect(answers.map((a) => JSON.parse(a.body).data.me?.id ?? null)).toEqual([...users.map((u) => u.id), null]);
    expect(answers[0]!.cacheControl).toBe(answers[3]!.cacheControl);
  });

  it('batches different documents, and the entity fetches of a query that spans subgraphs', async () => {
    const withReporter = {
      query: 'query Full($id: ID!) { case(id: $id) { id childName reporter { id displayName } } }',
      variables: { id: caseId },
    };
    const byId = { query: 'query One($id: ID!) { user(id: $id) { id displayName } }', variables: { id: users[1]!.id } };
    const requests: Sent[] = [
      ...users.map((u) => ({ body: withReporter, token: u.token })),
      { body: byId, token: users[2]!.token },
      { body: me, token: users[2]!.token },
    ];
    const cases = await batches(batching, 'cases');
    const { answers, ...seen } = await same(requests, 'users');
    // Five queries for users, all batched: the lookup and `me`, and the three callers' reporter
    // fetches (identities never share a fetch), which follow the cases batch's answer. Whether they
    // join the first batch or make a second one depends on when each window opened.
    expect(seen.queries).toBe(5);
    expect([1, 2]).toContain(seen.batches);
    const after = await batches(batching, 'cases');
    expect([after.batches - cases.batches, after.queries - cases.queries]).toEqual([1, 3]);
    expect(answers.map((a) => JSON.parse(a.body).errors)).toEqual(requests.map(() => undefined));
    expect(JSON.parse(answers[0]!.body).data.case.reporter.id).toBe(users[0]!.id);
  });

  it('answers a query with its own error as alone, beside the others', async () => {
    const accounts = { query: 'query Accounts { users(first: 1) { totalCount } }' }; // ADMIN only
    const requests: Sent[] = [
      { body: me, token: users[0]!.token },
      { body: accounts, token: users[1]!.token },
      { body: me, token: users[2]!.token },
    ];
    const { answers, ...seen } = await same(requests, 'users');
    expect(seen).toEqual({ batches: 1, queries: 3 });
    expect(answers.map((a) => JSON.parse(a.body).errors?.[0]?.extensions?.code)).toEqual([
      undefined,
      'FORBIDDEN',
      undefined,
    ]);
  });

  it('batches what merging leaves alone, and sends a merged operation alone', async () => {
    const lookup = (id: string, token?: string): Sent => ({
      body: { query: 'query Lookup($id: ID!) { case(id: $id) { id childName } }', variables: { id } },
      token,
    });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const requests = [
      lookup(caseId, users[0]!.token),
      lookup(unknown, users[0]!.token),
      lookup(caseId, users[1]!.token),
      lookup(caseId),
    ];
    for (const r of requests) await together(mergingToo.url, [r]); // plans it: the shortcut serves from then on
    const merges = async () => {
      const text = await (await fetch(new URL('/metrics', mergingToo.url))).text();
      return Number(
        text
          .split('\n')
          .find((l) => l.startsWith('router_single_fetch_merged_queries_count{'))
          ?.split(' ')
          .at(-1) ?? 0,
      );
    };
    const before = { merges: await merges(), ...(await batches(mergingToo, 'cases')) };
    const answers = await together(mergingToo.url, requests);
    const after = { merges: await merges(), ...(await batches(mergingToo, 'cases')) };
    expect(answers).toEqual(await together(alone.url, requests));
    // The first caller's two lookups merge into one operation, which goes alone; the other two
    // callers' lookups go as one batch.
    expect([after.merges - before.merges, after.batches - before.batches, after.queries - before.queries]).toEqual([
      1, 1, 2,
    ]);
  });

  it('never batches mutations', async () => {
    const rename = (name: string) => ({
      query: 'mutation Rename($input: UpdateProfileInput!) { updateProfile(input: $input) { displayName } }',
      variables: { input: { displayName: name } },
    });
    const before = await batches(batching, 'users');
    const answers = await together(
      batching.url,
      users.map((u, i) => ({ body: rename(`Batched ${i}`), token: u.token })),
    );
    expect(await batches(batching, 'users')).toEqual(before);
    expect(answers.map((a) => JSON.parse(a.body).data.updateProfile.displayName)).toEqual([
      'Batched 0',
      'Batched 1',
      'Batched 2',
    ]);
  });
});

describe('a batch request that fails', () => {
  let failing: DownSubgraph;
  let seen: DownSubgraph['seen'];
  let routers: RunningRouter[] = [];

  beforeAll(async () => {
    failing = await startDownSubgraph(); // the users subgraph, down: every request gets a 503
    seen = failing.seen;
    const env = { USERS_URL: failing.url, ...failing.env };
    routers = await Promise.all([routerWith({ ...BATCHING, ...env }), routerWith({ ...ALONE, ...env })]);
  });
  afterAll(async () => {
    await Promise.all(routers.map((r) => r.stop()));
    await failing.close();
  });

  it('fails each of its queries as it would alone, tried and retried together, naming every correlation id', async () => {
    const ids = ['batched-a', 'batched-b', 'batched-c'];
    const requests = ids.map((correlationId) => ({
      body: { query: 'query One($id: ID!) { user(id: $id) { id } }', variables: { id: correlationId } },
      correlationId,
    }));
    const answers: Answer[][] = [];
    const attempts: (string | undefined)[][] = [];
    for (const router of routers) {
      const start = seen.length;
      answers.push(await together(router.url, requests));
      attempts.push(seen.slice(start).map((s) => s.url));
    }
    // One try and one retry: for the three as one batch each time, or for each alone.
    expect(attempts).toEqual([['/graphql/batch', '/graphql/batch'], Array(6).fill('/graphql')]);
    expect(answers[0]).toEqual(answers[1]);
    expect(JSON.parse(answers[0]![0]!.body).errors[0].extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect(String(seen.at(-7)?.headers['x-correlation-id']).split(',').sort()).toEqual(ids); // in the order they came
  });
});
