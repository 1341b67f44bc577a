import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { RunningRouter } from '../../router/src/server';
import { codes, type ClientError } from '../support/client';
import { routerWith } from '../support/router-with';

/** POSTs a raw query string to the router. */
async function post(
  query: string,
  url = inject('routerUrl'),
): Promise<{ status: number; headers: Headers; errors?: ClientError[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as { errors?: ClientError[] };
  return { status: res.status, headers: res.headers, errors: body.errors };
}

describe('request limits at the router', () => {
  it('refuses a query 30 levels deep with QUERY_TOO_DEEP', async () => {
    const deep = `{ __schema { types { ${'ofType { '.repeat(27)}name${' }'.repeat(27)} } } }`;
    const r = await post(deep);
    expect(r.status).toBe(400);
    expect(codes(r)).toContain('QUERY_TOO_DEEP');
    expect(r.errors!.find((e) => e.extensions?.code === 'QUERY_TOO_DEEP')!.message).toMatch(
      /30 levels deep; at most 15/,
    );
  });

  it('refuses 500 aliases with TOO_MANY_ALIASES', async () => {
    const r = await post(`{ ${Array.from({ length: 500 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
    expect(r.status).toBe(400);
    expect(codes(r)).toEqual(['TOO_MANY_ALIASES']);
  });

  it('refuses an operation with too many tokens before validating it', async () => {
    const r = await post(`{ ${'__typename '.repeat(6_000)}}`);
    expect(r.status).toBe(400);
    expect(codes(r)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(r.errors![0]!.message).toMatch(/tokens/);
  });

  it('refuses an operation whose estimated cost is too high, counting page sizes from variables', async () => {
    // 30 × (1 + 100 × 9) = 27,030 > 20,000
    const fields = Array.from(
      { length: 30 },
      (_, i) => `u${i}: users(first: $n) { edges { node { id displayName role createdAt email phone totpEnabled } } }`,
    ).join(' ');
    const res = await fetch(inject('routerUrl'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `query Big($n: Int) { ${fields} }`, variables: { n: 100 } }),
    });
    const body = (await res.json()) as { errors: ClientError[] };
    expect(res.status).toBe(400);
    expect(body.errors.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('refuses a 10 MB body with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await fetch(inject('routerUrl'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(10 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errors: ClientError[] }).errors[0]!.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('the safelist of client operations', () => {
  let router: RunningRouter;
  beforeAll(async () => {
    router = await routerWith({ PERSISTED_OPERATIONS: 'safelist' });
  });
  afterAll(() => router?.stop());

  it("runs the project's own client operations, however they are formatted, and refuses others with 403", async () => {
    const me = await post(
      'query Me {\n  me { id email displayName role createdAt } # formatted differently\n}',
      router.url,
    );
    expect(me.status).toBe(200);
    expect(me.errors).toBeUndefined();
    const other = await post('{ me { id } }', router.url);
    expect(other.status).toBe(403);
    expect(codes(other)).toEqual(['OPERATION_NOT_ALLOWED']);
  });

  it('holds over graphql-ws as well', async () => {
    const client = createClient({ url: router.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const run = (query: string) =>
      new Promise<{ data?: unknown; errors?: ClientError[] }>((resolve) => {
        let result: { data?: unknown } = {};
        client.subscribe(
          { query },
          {
            next: (r) => void (result = r),
            error: (errors) => resolve({ errors: errors as ClientError[] }),
            complete: () => resolve(result),
          },
        );
      });
    try {
      expect(await run('query Me { me { id email displayName role createdAt } }')).toEqual({ data: { me: null } });
      expect(codes(await run('{ me { id } }'))).toEqual(['OPERATION_NOT_ALLOWED']);
    } finally {
      await client.dispose();
    }
  });
});

describe('rate limits', () => {
  let router: RunningRouter;
  beforeAll(async () => {
    const production = inject('mode') === 'production';
    router = await routerWith({
      RATE_LIMIT_IP_PER_MINUTE: '100',
      // On the production path the counters live in Redis, as they do for several replicas.
      REDIS_URL: production ? process.env.TEST_REDIS_URL : '',
      REDIS_PREFIX: `ratelimit-test-${process.pid}-${Date.now()}`,
    });
  });
  afterAll(() => router?.stop());

  it('answers the 101st request in a minute from one IP with 429 RATE_LIMITED and Retry-After', async () => {
    for (let i = 0; i < 100; i++) expect((await post('{ __typename }', router.url)).status).toBe(200);
    const limited = await post('{ __typename }', router.url);
    expect(limited.status).toBe(429);
    expect(codes(limited)).toEqual(['RATE_LIMITED']);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });
});
