import { createHash, randomBytes } from 'node:crypto';
import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRouter } from '../../router/src/server';
import { routerWith } from '../support/router-with';
import { signUp } from './cases.fixtures';
import { send, sendGet, singleFetchCounts, type Answer } from './single-fetch.fixtures';

// Apollo Client 4, as web and mobile clients run it, against a router with the fast path and one
// without (SINGLE_FETCH_FAST_PATH=false) on the suite's subgraphs. Apollo Client adds
// `extensions.clientLibrary` to every request, and with its persisted-query link sends only a hash
// once the hash is registered: the fast path must take both and answer as Apollo Server does.

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** How a test's Apollo Client sends: APQ (`persisted`), and queries or hashes over GET (`get`). */
interface ClientOptions {
  persisted?: boolean;
  get?: boolean;
}

/** An Apollo Client for `url`, signed in with `token`, that keeps every request it sends (a GET's as its parameters). */
function apolloClient(url: string, token: string, opts: ClientOptions = {}) {
  const sent: { method: string; body: Record<string, unknown> }[] = [];
  const http = new HttpLink({
    uri: url,
    headers: { authorization: `Bearer ${token}` },
    useGETForQueries: opts.get && !opts.persisted,
    fetch: (input, init) => {
      const method = init?.method ?? 'GET';
      const params = Object.fromEntries(new URL(String(input)).searchParams);
      sent.push({
        method,
        body: method === 'GET' ? params : (JSON.parse(String(init?.body)) as Record<string, unknown>),
      });
      return fetch(input, init);
    },
  });
  const persisted = new PersistedQueryLink({ sha256, useGETForHashedQueries: opts.get });
  const link = opts.persisted ? ApolloLink.from([persisted, http]) : http;
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), sent };
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
  async function run(query: ReturnType<typeof gql>, times: number, opts: ClientOptions = {}) {
    const runs = [];
    for (const router of [fast, apollo]) {
      const { client, sent } = apolloClient(router.url, user.token, opts);
      const data = [];
      for (let i = 0; i < times; i++) data.push((await client.query({ query, fetchPolicy: 'network-only' })).data);
      runs.push({ data, sent });
    }
    return runs;
  }

  /** A text of its own per run, so that a Redis-shared APQ store from an earlier run does not know its hash. */
  const uniqueStats = (name: string) =>
    gql(`query ${name} { caseStats { total } total_${Date.now().toString(36)}: caseStats { missing } }`);

  it("answers Apollo Client's queries, which carry extensions.clientLibrary, as Apollo Server does", async () => {
    const before = await singleFetchCounts(fast);
    const [viaFast, viaApollo] = await run(gql`query Me { me { id email role } }`, 4);
    expect(viaFast!.sent[0]!.body.extensions).toMatchObject({ clientLibrary: { name: '@apollo/client' } });
    expect(viaFast!.data[0]).toMatchObject({ me: { id: user.id } });
    expect(viaFast!.data).toEqual(viaApollo!.data);
    // The first is planned by the gateway, the second answered by the shortcut through Apollo
    // Server (and so known); the other two take the fast path.
    expect(await singleFetchCounts(fast)).toEqual({ ...before, served: before.served + 1, fast: before.fast + 2 });
    expect(await singleFetchCounts(apollo)).toMatchObject({ fast: 0 });
  });

  it('answers a registered APQ hash without its text, as Apollo Server does', async () => {
    const before = await singleFetchCounts(fast);
    const [viaFast, viaApollo] = await run(uniqueStats('Apq'), 4, { persisted: true });
    // Hash alone (not found), then the text with its hash (registered), then the hash alone each time.
    expect(viaFast!.sent.map((r) => typeof r.body.query)).toEqual([
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

  it("answers Apollo Client's GETs, of texts and of hashes, as Apollo Server does", async () => {
    const before = await singleFetchCounts(fast);
    const [texts, textsViaApollo] = await run(gql`query MeByGet { me { id displayName } }`, 4, { get: true });
    expect(texts!.sent.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'GET']);
    expect(texts!.data).toEqual(textsViaApollo!.data);
    expect(texts!.data[0]).toMatchObject({ me: { id: user.id } });
    const [hashes, hashesViaApollo] = await run(uniqueStats('ApqByGet'), 4, { persisted: true, get: true });
    // The hash by GET (not found), the text with its hash by POST, then the hash by GET.
    expect(hashes!.sent.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'GET', 'GET']);
    expect(hashes!.data).toEqual(hashesViaApollo!.data);
    // Each as the POSTs above: planned, served and learnt, then two on the fast path.
    expect(await singleFetchCounts(fast)).toEqual({ ...before, served: before.served + 2, fast: before.fast + 4 });
  });

  it('leaves to Apollo Server a GET it could refuse as a CSRF risk, and answers as it does', async () => {
    const params = { query: 'query Csrf { me { id } }' };
    const before = await singleFetchCounts(fast);
    const answers: Answer[] = [];
    const headerSets: Record<string, string>[] = [
      { 'apollo-require-preflight': 'true' },
      {},
      { 'content-type': 'text/plain' },
    ];
    for (const headers of headerSets) {
      for (let i = 0; i < 3; i++) {
        answers.push(await sendGet(fast.url, params, user.token, headers));
        answers.push(await sendGet(apollo.url, params, user.token, headers));
      }
    }
    const [preflighted, bare, plain] = [answers.slice(0, 6), answers.slice(6, 12), answers.slice(12)];
    for (const group of [preflighted, bare, plain]) for (const a of group) expect(a).toEqual(group[0]);
    expect(preflighted[0]!.status).toBe(200);
    expect(bare[0]!.status).toBe(400);
    expect(plain[0]!.body).toContain('Cross-Site Request Forgery');
    // Planned, then served and learnt, then the third preflighted GET on the fast path; none refused.
    expect(await singleFetchCounts(fast)).toEqual({ ...before, served: before.served + 1, fast: before.fast + 1 });
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
    expect((await same(version2)).errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    // An empty operation name names no operation (and never reaches a subgraph).
    expect((await same({ query: Me, operationName: '' })).errors?.[0]?.extensions?.code).toBe(
      'OPERATION_RESOLUTION_FAILURE',
    );
    expect(await singleFetchCounts(fast)).toMatchObject({ fast: before.fast });
  });
});
