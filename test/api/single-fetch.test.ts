import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRouter } from '../../router/src/server';
import { routerWith } from '../support/router-with';
import { reportCase, signUp, uniqueWord } from './cases.fixtures';
import { send, singleFetchCounts, singleFetchQueries, type Answer } from './single-fetch.fixtures';

// Two routers on the suite's subgraphs, both without the response cache so every request executes:
// one with the single-fetch shortcut (the default), one without. Whatever a client sends, the two
// must answer the same bytes, status and caching headers.

/** `served` with or without Apollo Server (`fast`): the shortcut's fetch answered. */
async function shortcutCounts(router: RunningRouter): Promise<{ served: number; fallback: number }> {
  const { served, fast, fallback } = await singleFetchCounts(router);
  return { served: served + fast, fallback };
}

describe('the single-fetch shortcut', () => {
  let shortcut: RunningRouter;
  let gateway: RunningRouter;
  let user: { token: string; id: string };
  let caseId: string;
  const word = uniqueWord('shortcut');

  beforeAll(async () => {
    [shortcut, gateway] = await Promise.all([
      routerWith({ RESPONSE_CACHE: 'false' }),
      routerWith({ RESPONSE_CACHE: 'false', SINGLE_FETCH_SHORTCUT: 'false' }),
    ]);
    user = await signUp('shortcut');
    caseId = (await reportCase(user.token, { description: word })).id;
    for (let i = 0; i < 2; i++) await reportCase(user.token, { description: word });
  });
  afterAll(async () => {
    await Promise.all([shortcut?.stop(), gateway?.stop()]);
  });

  /** Sends `body` twice to each router (the first request plans, the second may take the shortcut); all four answers must agree. */
  async function same(body: unknown, token?: string): Promise<Answer> {
    const answers: Answer[] = [];
    for (let i = 0; i < 2; i++) {
      answers.push(await send(shortcut.url, body, token), await send(gateway.url, body, token));
    }
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
    return answers[0]!;
  }

  const cases = () => singleFetchQueries(caseId, word);

  it('answers single-fetch queries as the gateway does, and from the subgraph directly from the second request on', async () => {
    for (const { name, body } of cases()) {
      const before = await shortcutCounts(shortcut);
      const answer = await same(body, user.token);
      expect(answer.status, `${name}: ${answer.body}`).toBe(200);
      expect(JSON.parse(answer.body).errors, name).toBeUndefined();
      expect(await shortcutCounts(shortcut), name).toEqual({ served: before.served + 1, fallback: before.fallback });
    }
    expect(await shortcutCounts(gateway)).toEqual({ served: 0, fallback: 0 });
  });

  it('leaves operations of several fetches, mutations and introspection to the gateway', async () => {
    const before = await shortcutCounts(shortcut);
    await same(
      {
        query: 'query WithReporter($id: ID!) { case(id: $id) { id reporter { id displayName } } }',
        variables: { id: caseId },
      },
      user.token,
    );
    await same({ query: '{ __schema { queryType { name } } me { id } }' }, user.token);
    const rename = {
      query: 'mutation Rename($n: String!) { updateProfile(input: { displayName: $n }) { id } }',
      variables: { n: 'Same Name' },
    };
    for (let i = 0; i < 2; i++) {
      expect((await send(shortcut.url, rename, user.token)).status).toBe(200);
    }
    expect(await shortcutCounts(shortcut)).toEqual(before);
  });

  it('hands answers with errors to the gateway, which words them as always', async () => {
    const Page = 'query Count($first: Int) { cases(first: $first) { totalCount } }';
    await same({ query: Page, variables: { first: 1 } }); // planned: the next ones take the shortcut
    const OneCase = 'query Lookup($id: ID!) { case(id: $id) { id } }';
    await same({ query: OneCase, variables: { id: caseId } });
    const before = await shortcutCounts(shortcut);
    const refusedBySubgraph = await same({ query: Page, variables: { first: 1000 } });
    const badVariable = await same({ query: Page, variables: { first: 'many' } });
    for (const answer of [refusedBySubgraph, badVariable]) {
      expect(JSON.parse(answer.body).errors?.[0]?.extensions?.code, answer.body).toBe('BAD_USER_INPUT');
    }
    // Both went to the subgraph through the shortcut on the first router (twice each in `same`).
    expect(await shortcutCounts(shortcut)).toEqual({ served: before.served, fallback: before.fallback + 4 });
    // No such case is an answer without errors: the shortcut serves it.
    expect((await same({ query: OneCase, variables: { id: 'not an id' } })).body).toBe('{"data":{"case":null}}\n');
    expect((await shortcutCounts(shortcut)).served).toBe(before.served + 2);
  });
});

describe('the single-fetch shortcut when the subgraph is unreachable', () => {
  let refusing: Server;
  let attempts = 0;
  let routers: RunningRouter[] = [];

  beforeAll(async () => {
    refusing = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const casesUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/graphql`;
    const env = {
      RESPONSE_CACHE: 'false',
      CASES_URL: casesUrl,
      SUBGRAPH_QUERY_RETRIES: '1',
      CIRCUIT_BREAKER_FAILURES: '50',
    };
    routers = await Promise.all([routerWith(env), routerWith({ ...env, SINGLE_FETCH_SHORTCUT: 'false' })]);
  });
  afterAll(async () => {
    await Promise.all(routers.map((r) => r.stop()));
    await new Promise((resolve) => refusing.close(resolve));
  });

  it('fails once, not twice: as many attempts and the same answer as without it', async () => {
    const body = { query: 'query Stats { caseStats { total } }' };
    const tries: number[] = [];
    const answers: Answer[] = [];
    for (const router of routers) {
      await send(router.url, body); // plans it
      const start = attempts;
      answers.push(await send(router.url, body));
      tries.push(attempts - start);
    }
    expect(tries[0]).toBe(2); // one try and one retry
    expect(tries[1]).toBe(tries[0]);
    expect(answers[0]).toEqual(answers[1]);
    expect(JSON.parse(answers[0]!.body).errors[0].extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect(await shortcutCounts(routers[0]!)).toEqual({ served: 0, fallback: 1 });
  });
});
