import { createHash, randomBytes } from 'node:crypto';
import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRouter } from '../../router/src/server';
import { routerWith } from '../support/router-with';
import { signUp } from './cases.fixtures';
import { send, singleFetchCounts, type Answer } from './single-fetch.fixtures';

// Apollo Client 4, as web and mobile clients run it, against a router with the fast path and one
// without (SINGLE_FETCH_FAST_PATH=false) on the suite's subgraphs. Apollo Client adds
// `extensions.clientLibrary` to every request, and with its persisted-query link sends only a hash
// once the hash is registered: the fast path must take both and answer as Apollo Server does.

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** An Apollo Client for `url`, signed in with `token`, that keeps every body it sends. */
function apolloClient(url: string, token: string, opts: { persisted?: boolean } = {}) {
  const bodies: Record<string, unknown>[] = [];
  const http = new HttpLink({
    uri: url,
    headers: { authorization: `Bearer ${token}` },
    fetch: (input, init) => {
      bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
      return fetch(input, init);
    },
  });
  const link = opts.persisted ? ApolloLink.from([new PersistedQueryLink({ sha256 }), http]) : http;
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), bodies };
}

describe('the single-fetch fast path for Apollo Client', () => {
  let fast: RunningRouter;
  let apollo: RunningRouter;
  let user: { token: string; id: string };

  beforeAll(async () => {
    [fast, apollo] = await Promise.all([
      routerWith({ RESPONSE_CACHE: 'false' }),
      routerWith({ RESPONSE_CACHE: 'false', SINGLE_FETCH_FAST_PATH: 'false' }),
    ]);
    user = await signUp('apolloclient');
  });
  afterAll(async () => {
    await Promise.all([fast?.stop(), apollo?.stop()]);
  });

  /** Runs `query` `times` times through each router with a client of its own; the data of each run. */
  async function run(query: ReturnType<typeof gql>, times: number, persisted = false) {
    const runs = [];
    for (const router of [fast, apollo]) {
      const { client, bodies } = apolloClient(router.url, user.token, { persisted });
      const data = [];
      for (let i = 0; i < times; i++) data.push((await client.query({ query, fetchPolicy: 'network-only' })).data);
      runs.push({ data, bodies });
    }
    return runs;
  }

  it("answers Apollo Client's queries, which carry extensions.clientLibrary, as Apollo Server does", async () => {
    const before = await singleFetchCounts(fast);
    const [viaFast, viaApollo] = await run(gql`query Me { me { id email role } }`, 4);
    expect(viaFast!.bodies[0]!.extensions).toMatchObject({ clientLibrary: { name: '@apollo/client' } });
    expect(viaFast!.data[0]).toMatchObject({ me: { id: user.id } });
    expect(viaFast!.data).toEqual(viaApollo!.data);
    // The first is planned by the gateway, the second answered by the shortcut through Apollo
    // Server (and so known); the other two take the fast path.
    expect(await singleFetchCounts(fast)).toEqual({ ...before, served: before.served + 1, fast: before.fast + 2 });
    expect(await singleFetchCounts(apollo)).toMatchObject({ fast: 0 });
  });

  it('answers a registered APQ hash without its text, as Apollo Server does', async () => {
    // Unique per run, so a Redis-shared APQ store from an earlier run does not know the hash yet.
    const alias = `total_${Date.now().toString(36)}`;
    const query = gql(`query Apq { caseStats { total } ${alias}: caseStats { missing } }`);
    const before = await singleFetchCounts(fast);
    const [viaFast, viaApollo] = await run(query, 4, true);
    // Hash alone (not found), then the text with its hash (registered), then the hash alone each time.
    expect(viaFast!.bodies.map((b) => typeof b.query)).toEqual([
      'undefined',
      'string',
      'undefined',
      'undefined',
      'undefined',
    ]);
    expect(viaFast!.data).toEqual(viaApollo!.data);
    expect(viaFast!.data[0]).toMatchObject({ caseStats: { total: expect.any(Number) } });
    // Registered and planned by the gateway; the hash then resolved by Apollo Server from its store
    // and answered by the shortcut (text and hash known); the last two on the fast path.
    expect(await singleFetchCounts(fast)).toEqual({ ...before, served: before.served + 1, fast: before.fast + 2 });
  });

  it('leaves to Apollo Server unknown hashes and other extensions, and answers as it does', async () => {
    const Me = 'query Me { me { id } }';
    const same = async (body: unknown) => {
      const answers: Answer[] = [];
      for (let i = 0; i < 3; i++)
        answers.push(await send(fast.url, body, user.token), await send(apollo.url, body, user.token));
      for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
      return JSON.parse(answers[0]!.body) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    };
    await same({ query: Me }); // known from the second on
    const before = await singleFetchCounts(fast);
    const unknownHash = { extensions: { persistedQuery: { version: 1, sha256Hash: randomBytes(32).toString('hex') } } };
    expect((await same(unknownHash)).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await same({ query: Me, extensions: { tracing: true } })).data).toMatchObject({ me: { id: user.id } });
    const version2 = { query: Me, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(Me) } } };
    expect((await same(version2)).errors).toBeDefined();
    expect(await singleFetchCounts(fast)).toMatchObject({ fast: before.fast });
  });
});
