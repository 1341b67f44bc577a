import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningRouter } from '../../router/src/server';
import { routerWith } from '../support/router-with';
import { reportCase, signUp, uniqueWord } from './cases.fixtures';
import { send, singleFetchCounts, singleFetchQueries, type Answer } from './single-fetch.fixtures';

// Two routers on the suite's subgraphs without the response cache: one as deployed (the fast path
// on), one with SINGLE_FETCH_FAST_PATH=false, where Apollo Server's pipeline runs every request.
// Whatever a client sends, the two must answer the same bytes, status and headers.

const ACCEPTS = [
  '*/*',
  'application/json',
  'application/graphql-response+json',
  'application/graphql-response+json, application/json;q=0.9',
];

describe('the single-fetch fast path', () => {
  let fast: RunningRouter;
  let apollo: RunningRouter;
  let user: { token: string; id: string };
  let caseId: string;
  const word = uniqueWord('fastpath');

  beforeAll(async () => {
    [fast, apollo] = await Promise.all([
      routerWith({ RESPONSE_CACHE: 'false' }),
      routerWith({ RESPONSE_CACHE: 'false', SINGLE_FETCH_FAST_PATH: 'false' }),
    ]);
    user = await signUp('fastpath');
    caseId = (await reportCase(user.token, { description: word })).id;
    await reportCase(user.token, { description: word });
  });
  afterAll(async () => {
    await Promise.all([fast?.stop(), apollo?.stop()]);
  });

  /** Sends `body` `times` times to each router in turn; every answer must be the first one. */
  async function same(body: unknown, times: number, token?: string, headers?: Record<string, string>) {
    const answers: Answer[] = [];
    for (let i = 0; i < times; i++) {
      answers.push(await send(fast.url, body, token, headers), await send(apollo.url, body, token, headers));
    }
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
    return answers[0]!;
  }

  it('answers a query the shortcut answered before without Apollo Server, as Apollo Server does, for every Accept', async () => {
    const before = await singleFetchCounts(fast);
    let expected = before.fast;
    const contentTypes = new Set<string | null>();
    for (const [q, { name, body }] of singleFetchQueries(caseId, word).entries()) {
      for (const [i, accept] of ACCEPTS.entries()) {
        const answer = await same(body, 4, user.token, { accept });
        expect(answer.status, `${name}, ${accept}: ${answer.body}`).toBe(200);
        expect(JSON.parse(answer.body).errors, name).toBeUndefined();
        contentTypes.add(answer.contentType);
        // A new text is planned by the gateway, then answered by the shortcut through Apollo Server,
        // then known. Each Accept is learnt once, from the first text's answers.
        expected += i === 0 ? 2 : q === 0 ? 3 : 4;
        expect((await singleFetchCounts(fast)).fast, `${name}, ${accept}`).toBe(expected);
      }
    }
    expect([...contentTypes].sort()).toEqual([
      'application/graphql-response+json; charset=utf-8',
      'application/json; charset=utf-8',
    ]);
    expect((await singleFetchCounts(fast)).fallback).toBe(before.fallback);
    expect(await singleFetchCounts(apollo)).toMatchObject({ fast: 0 });
  });

  it('leaves to Apollo Server what its pipeline refuses, and answers as it does', async () => {
    const Page =
      'query Count($first: Int, $word: String) { cases(first: $first, filter: { search: $word }) { totalCount } }';
    const OneCase = 'query Lookup($id: ID!) { case(id: $id) { id } }';
    await same({ query: Page, variables: { first: 1 } }, 3, user.token); // known from the third on
    await same({ query: OneCase, variables: { id: caseId } }, 3, user.token);
    const before = await singleFetchCounts(fast);
    const refused: [string, unknown, string | undefined, string][] = [
      ['a variable of the wrong type', { query: Page, variables: { first: 'many' } }, user.token, 'BAD_USER_INPUT'],
      ['a required variable missing', { query: OneCase, variables: {} }, user.token, 'BAD_USER_INPUT'],
      ['a NUL character', { query: Page, variables: { first: 1, word: 'a\u0000b' } }, user.token, 'BAD_USER_INPUT'],
      ['over the cost limit', { query: Page, variables: { first: 1_000_000 } }, user.token, 'QUERY_TOO_COMPLEX'],
      ['a token that does not verify', { query: Page, variables: { first: 1 } }, 'not-a-token', 'UNAUTHENTICATED'],
      ['variables that are not an object', { query: Page, variables: [1] }, user.token, 'BAD_REQUEST'],
    ];
    for (const [name, body, token, code] of refused) {
      const answer = await same(body, 2, token);
      expect(JSON.parse(answer.body).errors?.[0]?.extensions?.code, `${name}: ${answer.body}`).toBe(code);
    }
    // A text with its APQ hash registers the hash: Apollo Server's to check (here: a hash that does not match).
    const hashed = {
      query: Page,
      variables: { first: 1 },
      extensions: { persistedQuery: { version: 1, sha256Hash: 'ab' } },
    };
    expect((await same(hashed, 2, user.token)).status).toBe(400);
    expect((await singleFetchCounts(fast)).fast).toBe(before.fast);
  });
});

/** An HTTP proxy to `target` that answers 503 instead while `down`, counting the requests it got. */
async function startSwitchableProxy(target: string) {
  const state = { down: false, requests: 0 };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    state.requests++;
    void forward(req, res);
  });
  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (state.down) return void res.writeHead(503, { 'content-type': 'text/plain' }).end('down');
    const headers = Object.entries(req.headers).filter(
      ([name]) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name),
    );
    const upstream = await fetch(new URL(req.url ?? '/', target), {
      method: req.method,
      headers: Object.fromEntries(headers.map(([name, value]) => [name, String(value)])),
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const body = Buffer.from(await upstream.arrayBuffer());
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' }).end(body);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('the single-fetch fast path when a subgraph fails', () => {
  let proxy: Awaited<ReturnType<typeof startSwitchableProxy>>;
  let routers: RunningRouter[] = [];

  beforeAll(async () => {
    proxy = await startSwitchableProxy(inject('subgraphUrls').cases);
    const env = {
      RESPONSE_CACHE: 'false',
      CASES_URL: proxy.url,
      SUBGRAPH_QUERY_RETRIES: '1',
      CIRCUIT_BREAKER_FAILURES: '50',
    };
    routers = await Promise.all([routerWith(env), routerWith({ ...env, SINGLE_FETCH_FAST_PATH: 'false' })]);
  });
  afterAll(async () => {
    await Promise.all(routers.map((r) => r.stop()));
    await proxy?.close();
  });

  it('tries as often as the path through Apollo Server and answers the same', async () => {
    const body = { query: 'query Stats { caseStats { total } }' };
    for (const router of routers) for (let i = 0; i < 3; i++) expect((await send(router.url, body)).status).toBe(200);
    const before = await singleFetchCounts(routers[0]!);
    expect(before.fast).toBe(1);
    proxy.state.down = true;
    const tries: number[] = [];
    const answers: Answer[] = [];
    for (const router of routers) {
      const start = proxy.state.requests;
      answers.push(await send(router.url, body));
      tries.push(proxy.state.requests - start);
    }
    expect(tries).toEqual([2, 2]); // one try and one retry each
    expect(answers[0]).toEqual(answers[1]);
    expect(JSON.parse(answers[0]!.body).errors[0].extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect(await singleFetchCounts(routers[0]!)).toEqual({ ...before, fallback: before.fallback + 1 });
  });
});

describe('the single-fetch fast path with the response cache on', () => {
  let cached: RunningRouter;
  let user: { token: string; id: string };

  beforeAll(async () => {
    cached = await routerWith({});
    user = await signUp('fastcache');
  });
  afterAll(async () => {
    await cached?.stop();
  });

  it('answers only what the cache would not keep', async () => {
    const before = await singleFetchCounts(cached);
    const kept = [
      { query: '{ geocode(place: "Lyon") { query displayName } }' }, // public, an hour
      { query: 'query Me { me { id email } }' }, // private, 5 minutes
    ];
    for (const body of kept) {
      for (let i = 0; i < 4; i++) expect((await send(cached.url, body, user.token)).cacheControl).not.toBe('no-store');
    }
    expect((await singleFetchCounts(cached)).fast).toBe(before.fast);
    const notKept = { query: 'query Total { cases(first: 1) { totalCount } }' };
    for (let i = 0; i < 4; i++) expect((await send(cached.url, notKept, user.token)).cacheControl).toBe('no-store');
    expect((await singleFetchCounts(cached)).fast).toBe(before.fast + 2);
  });
});
