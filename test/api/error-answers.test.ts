import { IDENTITY_HEADER, signIdentity } from '@supergraph/kit';
import { describe, expect, it, inject } from 'vitest';
import type { ClientError } from '../support/client';

/** A bad request: where it goes (path on the service's origin) and how it is sent. */
interface BadRequest {
  what: string;
  path: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  /** The answer both the router and every subgraph give. */
  status: number;
  code: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const BAD_REQUESTS: BadRequest[] = [
  {
    what: 'a body over the 1 MB limit',
    path: '/graphql',
    method: 'POST',
    headers: JSON_TYPE,
    body: JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(2 * 1024 * 1024) } }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    what: 'malformed JSON',
    path: '/graphql',
    method: 'POST',
    headers: JSON_TYPE,
    body: '{"query": "{ __typename }"',
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    what: 'a body that is not JSON (application/xml)',
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/xml' },
    body: '<query>{ __typename }</query>',
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    what: 'a form a browser may send cross-site (text/plain)',
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ query: '{ __typename }' }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    what: 'a method /graphql does not serve',
    path: '/graphql',
    method: 'PUT',
    headers: JSON_TYPE,
    body: JSON.stringify({ query: '{ __typename }' }),
    status: 405,
    code: 'BAD_REQUEST',
  },
  ...(
    [
      ['an operation name the document does not have', { query: 'query A { __typename }', operationName: 'B' }],
      ['an empty operation name', { query: 'query A { __typename }', operationName: '' }],
      ['several operations and no name', { query: 'query A { __typename } query B { __typename }' }],
    ] as const
  ).map(([what, body]) => ({
    what,
    path: '/graphql',
    method: 'POST',
    headers: JSON_TYPE,
    body: JSON.stringify(body),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  })),
  {
    what: 'an APQ version no server knows',
    path: '/graphql',
    method: 'POST',
    headers: JSON_TYPE,
    body: JSON.stringify({ query: '{ __typename }', extensions: { persistedQuery: { version: 2, sha256Hash: 'ab' } } }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  { what: 'a post to /health', path: '/health', method: 'POST', status: 405, code: 'BAD_REQUEST' },
  { what: 'a delete of /metrics', path: '/metrics', method: 'DELETE', status: 405, code: 'BAD_REQUEST' },
  { what: 'an unknown path', path: '/no/such/thing', method: 'GET', status: 404, code: 'NOT_FOUND' },
  { what: 'a post to an unknown path', path: '/nothing-here', method: 'POST', status: 404, code: 'NOT_FOUND' },
];

/** What a service answered: status, content type and error codes. */
async function send(origin: string, r: BadRequest, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(r.path, origin), {
    method: r.method,
    headers: { ...r.headers, ...headers },
    body: r.body,
  });
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  const body = (type.includes('json') ? JSON.parse(text) : {}) as { errors?: ClientError[] };
  return { status: res.status, type, codes: (body.errors ?? []).map((e) => e.extensions?.code) };
}

/**
 * The router and the subgraphs answer a bad request alike: one status, one `extensions.code`,
 * always in the GraphQL error shape as JSON (never an HTML page). A subgraph's `/graphql` is asked
 * with the router's signature, as the router asks it.
 */
describe('error answers of the router and the subgraphs', () => {
  const routerOrigin = () => new URL(inject('routerUrl')).origin;
  const subgraphs = () => Object.entries(inject('subgraphUrls'));
  const signed = async () => ({
    [IDENTITY_HEADER]: await signIdentity({}, 'error-answers-test', inject('signingSecret')),
  });

  for (const r of BAD_REQUESTS) {
    it(`answers ${r.what} with ${r.status} ${r.code} at the router and at every subgraph`, async () => {
      const expected = { status: r.status, type: expect.stringMatching(/^application\/json/), codes: [r.code] };
      expect(await send(routerOrigin(), r)).toEqual(expected);
      expect(subgraphs().length).toBeGreaterThan(0);
      for (const [name, url] of subgraphs()) {
        expect({ name, ...(await send(new URL(url).origin, r, await signed())) }).toEqual({ name, ...expected });
      }
    });
  }

  it('never sends a subgraph a query that names no operation of its document', async () => {
    // Before: an empty name went to the subgraph, which answered 500, and enough of them opened
    // the router's circuit breaker to it for everyone.
    const stats = { query: 'query Stats { caseStats { total } }' };
    const empty = { what: 'empty name', path: '/graphql', method: 'POST', headers: JSON_TYPE, status: 400, code: '' };
    for (let i = 0; i < 8; i++) {
      expect(
        await send(routerOrigin(), { ...empty, body: JSON.stringify({ ...stats, operationName: '' }) }),
      ).toMatchObject({
        status: 400,
        codes: ['OPERATION_RESOLUTION_FAILURE'],
      });
    }
    expect(await send(routerOrigin(), { ...empty, body: JSON.stringify(stats) })).toMatchObject({
      status: 200,
      codes: [],
    });
  });

  it('names the methods a known path allows when it refuses another', async () => {
    const post = BAD_REQUESTS.find((r) => r.path === '/health')!;
    const allowed = async (origin: string) =>
      (await fetch(new URL(post.path, origin), { method: post.method })).headers.get('allow');
    expect(await allowed(routerOrigin())).toBe('GET, HEAD');
    for (const [, url] of subgraphs()) expect(await allowed(new URL(url).origin)).toBe('GET, HEAD');
  });
});
