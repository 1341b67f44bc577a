import { createHash } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import { print } from 'graphql';
import WebSocket from 'ws';
import { afterEach, describe, expect, it, inject } from 'vitest';
import { LogInDocument, MeDocument, SignUpDocument } from '../../operations/generated/graphql';
import { gql, ok, uniqueEmail } from '../support/client';

const wsUrl = () => inject('routerUrl').replace(/^http/, 'ws');
const origin = () => new URL(inject('routerUrl')).origin;
const clients: Client[] = [];

function connect(connectionParams?: Record<string, unknown>, onClose?: (code: number, reason: string) => void): Client {
  const client = createClient({
    url: wsUrl(),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined, // the close is asserted through on.closed
    connectionParams,
    on: { closed: (e) => onClose?.((e as { code: number }).code, (e as { reason: string }).reason) },
  });
  clients.push(client);
  return client;
}

/** Runs one operation over a graphql-ws client and resolves with its single result. */
function once<T>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ data?: T; errors?: { extensions?: { code?: string } }[] }> {
  return new Promise((resolve, reject) => {
    let result: { data?: T } | undefined;
    client.subscribe<T>(
      { query, variables },
      { next: (r) => void (result = r as never), error: reject, complete: () => resolve(result ?? {}) },
    );
  });
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});

describe('the router', () => {
  it('answers queries over graphql-ws with the identity from the connection params', async () => {
    const email = uniqueEmail('ws');
    const { signUp } = await ok(SignUpDocument, { input: { email, password: 'correct-horse-7', displayName: 'Wes' } });
    const me = await once<{ me: { id: string; email: string } }>(
      connect({ authorization: `Bearer ${signUp.accessToken}` }),
      print(MeDocument),
    );
    expect(me.data?.me).toMatchObject({ id: signUp.user.id, email });
    const anonymous = await once<{ me: null }>(connect(), print(MeDocument));
    expect(anonymous.data?.me).toBeNull();
  });

  it('applies the HTTP request limits to operations over graphql-ws too', async () => {
    const refused = async (query: string, variables?: Record<string, unknown>) => {
      const errors = await once(connect(), query, variables).then(
        () => [],
        (err: unknown) => err as { extensions?: { code?: string } }[],
      );
      return errors.map((e) => e.extensions?.code);
    };
    expect(await refused(`{ __schema { types { ${'ofType { '.repeat(27)}name${' }'.repeat(27)} } } }`)).toContain(
      'QUERY_TOO_DEEP',
    );
    expect(await refused(`{ ${Array.from({ length: 500 }, (_, i) => `a${i}: __typename`).join(' ')} }`)).toEqual([
      'TOO_MANY_ALIASES',
    ]);
    const fields = Array.from(
      { length: 30 },
      (_, i) => `u${i}: users(first: $n) { edges { node { id displayName role createdAt email phone totpEnabled } } }`,
    ).join(' ');
    expect(await refused(`query Big($n: Int) { ${fields} }`, { n: 100 })).toEqual(['QUERY_TOO_COMPLEX']);
    expect(await refused(`{ ${'__typename '.repeat(6_000)}}`)).toEqual(['BAD_USER_INPUT']); // too many tokens to parse
  });

  it('closes a WebSocket with 4401 when the token in the connection params is invalid', async () => {
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      connect({ authorization: 'Bearer forged.token.here' }, (code, reason) => resolve({ code, reason })),
    );
    const { code, reason } = await closed;
    expect(code).toBe(4401);
    expect(reason).toMatch(/access token/i);
  });

  it('reports every subgraph on /health and /ready', async () => {
    type Answer = { status: string; service: string; checks: Record<string, { status: string }> };
    const health = (await (await fetch(`${origin()}/health`)).json()) as Answer;
    expect(health.status).toBe('ok');
    expect(Object.keys(health.checks)).toContain('users');
    expect(Object.values(health.checks).every((c) => c.status === 'up')).toBe(true);
    const ready = await fetch(`${origin()}/ready`);
    expect(ready.status).toBe(200);
    const readiness = (await ready.json()) as Answer;
    expect(readiness).toMatchObject({ status: 'ready', service: 'router' });
    expect(Object.keys(readiness.checks).sort()).toEqual(Object.keys(inject('subgraphUrls')).sort());
  });

  it('exposes the per-subgraph fetch histogram on /metrics after a query', async () => {
    await ok(LogInDocument, { input: { email: 'admin@example.com', password: 'admin-password-123' } });
    const text = await (await fetch(`${origin()}/metrics`)).text();
    expect(text).toMatch(/subgraph_fetch_duration_seconds_count\{[^}]*subgraph="users"[^}]*\} [1-9]/);
    expect(text).toMatch(/subscriptions_open\{[^}]*kind="upstreams"/);
  });

  it('serves automatic persisted queries: a hash alone once the query was registered', async () => {
    // Unique per run, so a Redis-shared APQ store from an earlier run cannot answer it.
    const query = `query Apq { caseStats { total } apq_${Date.now().toString(36)}: caseStats { missing } }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const send = async (body: object) =>
      (
        await fetch(inject('routerUrl'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json() as Promise<{
        data?: { caseStats: { total: number } };
        errors?: { extensions?: { code?: string } }[];
      }>;
    expect((await send({ extensions })).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await send({ query, extensions })).data?.caseStats.total).toEqual(expect.any(Number));
    const byHash = await send({ extensions });
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data?.caseStats.total).toEqual(expect.any(Number));
  });

  it('prevents CSRF: a simple (non-preflighted) request is refused', async () => {
    const res = await fetch(inject('routerUrl'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(res.status).toBe(400);
    const get = await fetch(`${inject('routerUrl')}?query=${encodeURIComponent('{ me { id } }')}`);
    expect(get.status).toBe(400);
    const allowed = await gql(MeDocument, {}, { headers: { 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
  });

  it('serves Apollo Sandbox at / outside production only', async () => {
    const res = await fetch(`${origin()}/`, { headers: { accept: 'text/html' } });
    if (inject('mode') === 'production') {
      expect(res.status).not.toBe(200);
      return;
    }
    expect(res.status).toBe(200);
    expect(res.url).toMatch(/\/graphql$/);
    expect(await res.text()).toMatch(/sandbox/i);
  });
});
