import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlHandler, parseByteSize } from '../../src/server/graphql.handler';

/** Resolvers that count their executions and wait until released, so requests overlap for sure. */
let executions = 0;
let arrived = 0;
let release: () => void = () => undefined;
let gate = Promise.resolve();
const hold = () => {
  gate = new Promise<void>((resolve) => (release = resolve));
};

const apollo = new ApolloServer<{ scope: string }>({
  typeDefs: 'type Query { slow(tag: String): String }  type Mutation { bump: Int }',
  resolvers: {
    Query: {
      slow: async (_: unknown, { tag }: { tag?: string }, ctx: { scope: string }) => (
        executions++,
        await gate,
        `${ctx.scope}:${tag ?? ''}`
      ),
    },
    Mutation: { bump: async () => (executions++, await gate, executions) },
  },
});
let server: Server;
let url: string;

beforeAll(async () => {
  await apollo.start();
  const serve = graphqlHandler<{ scope: string }, undefined>({
    apollo,
    bodyLimit: '1kb',
    prepare: (req) => {
      arrived++;
      const scope = String(req.headers['x-scope'] ?? 'anonymous');
      return { shareScope: req.headers['x-no-share'] ? undefined : scope, context: async () => ({ scope }) };
    },
  });
  server = createServer((req, res) => void serve(req, res, undefined));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await apollo.stop();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** Sends `n` requests at once while the resolvers are held, then releases them. */
async function concurrently(n: number, send: (i: number) => Promise<Response>) {
  hold();
  executions = 0;
  arrived = 0;
  const pending = Array.from({ length: n }, (_, i) => send(i));
  // Release only once every request has reached the handler, however busy the machine is.
  while (arrived < n) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setImmediate(r));
  release();
  const answers = await Promise.all(
    pending.map(async (p) => (await p).json() as Promise<{ data?: Record<string, unknown> }>),
  );
  return { answers, executions };
}

describe('graphqlHandler', () => {
  it('runs identical concurrent queries of one scope once, and every caller gets the answer', async () => {
    const { answers, executions: runs } = await concurrently(10, () =>
      post({ query: '{ slow(tag: "a") }' }, { 'x-scope': 'user:1' }),
    );
    expect(runs).toBe(1);
    expect(answers.every((a) => a.data?.slow === 'user:1:a')).toBe(true);
  });

  it('never shares across scopes, different variables, mutations, or requests that opt out', async () => {
    const scopes = await concurrently(4, (i) => post({ query: '{ slow }' }, { 'x-scope': `user:${i}` }));
    expect(scopes.executions).toBe(4);
    expect(scopes.answers.map((a) => a.data?.slow)).toEqual(['user:0:', 'user:1:', 'user:2:', 'user:3:']);
    const variables = await concurrently(3, (i) =>
      post({ query: 'query Q($t: String) { slow(tag: $t) }', variables: { t: String(i) } }),
    );
    expect(variables.executions).toBe(3);
    const mutations = await concurrently(3, () => post({ query: 'mutation { bump }' }));
    expect(mutations.executions).toBe(3);
    const named = await concurrently(3, () =>
      post({ query: 'query A { slow } mutation B { bump }', operationName: 'B' }),
    );
    expect(named.executions).toBe(3);
    const optedOut = await concurrently(3, () => post({ query: '{ slow }' }, { 'x-no-share': '1' }));
    expect(optedOut.executions).toBe(3);
  });

  it('shares nothing once the first answer is out', async () => {
    hold();
    release();
    executions = 0;
    await post({ query: '{ slow(tag: "b") }' });
    await post({ query: '{ slow(tag: "b") }' });
    expect(executions).toBe(2);
  });

  it('answers a too-large body with 413 PAYLOAD_TOO_LARGE and broken JSON with 400 BAD_REQUEST', async () => {
    const large = await post({ query: `{ slow(tag: "${'x'.repeat(2_000)}") }` });
    expect(large.status).toBe(413);
    expect(((await large.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    const broken = await post('{"query": ');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      'BAD_REQUEST',
    );
  });

  it('serves GET queries from the search string', async () => {
    hold();
    release();
    const res = await fetch(`${url}?query=${encodeURIComponent('{ slow(tag: "g") }')}`, {
      headers: { 'apollo-require-preflight': '1' },
    });
    expect(await res.json()).toEqual({ data: { slow: 'anonymous:g' } });
  });

  it('reads byte sizes as body-parser does', () => {
    expect(parseByteSize('1mb')).toBe(1_048_576);
    expect(parseByteSize('512kb')).toBe(524_288);
    expect(parseByteSize('100')).toBe(100);
    expect(() => parseByteSize('lots')).toThrow(RangeError);
  });
});
