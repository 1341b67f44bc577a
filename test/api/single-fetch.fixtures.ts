import type { RunningRouter } from '../../router/src/server';
import { post } from '../support/client';

/** What a client sees of an answer, all of which two routers must agree on. */
export interface Answer {
  status: number;
  contentType: string | null;
  cacheControl: string | null;
  body: string;
}

/** POSTs `body` to `url` (with `token` and other `headers` when given) and reads the answer. */
export async function send(
  url: string,
  body: unknown,
  token?: string,
  headers?: Record<string, string>,
): Promise<Answer> {
  return answerOf(await post(url, body, { token, headers }));
}

/** GETs `url` with `params` (objects as JSON, as GraphQL over HTTP puts them) and reads the answer. */
export async function sendGet(
  url: string,
  params: Record<string, unknown>,
  token?: string,
  headers?: Record<string, string>,
): Promise<Answer> {
  const target = new URL(url);
  for (const [name, value] of Object.entries(params)) {
    target.searchParams.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return answerOf(
    await fetch(target, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } }),
  );
}

async function answerOf(res: Response): Promise<Answer> {
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    cacheControl: res.headers.get('cache-control'),
    body: await res.text(),
  };
}

/** The router's `router_single_fetch_total` by outcome. */
export async function singleFetchCounts(
  router: RunningRouter,
): Promise<Record<'served' | 'fast' | 'fallback', number>> {
  const text = await (await fetch(new URL('/metrics', router.url))).text();
  const count = (outcome: string) =>
    Number(
      text
        .split('\n')
        .find((l) => l.startsWith('router_single_fetch_total{') && l.includes(`outcome="${outcome}"`))
        ?.split(' ')
        .at(-1) ?? 0,
    );
  return { served: count('served'), fast: count('fast'), fallback: count('fallback') };
}

/** Queries planned as one fetch, of several shapes, on a case of the caller's and a word of its cases. */
export const singleFetchQueries = (caseId: string, word: string) => [
  { name: 'private data of the caller', body: { query: 'query Me { me { id email displayName role } }' } },
  {
    name: 'aliases, a fragment defined first, @include with a variable, __typename',
    body: {
      query:
        'fragment Who on Case { childName age gender } query OneCase($id: ID!, $more: Boolean!) ' +
        '{ one: case(id: $id) { __typename ...Who ref: reportId status @include(if: $more) lastSeenAt } }',
      variables: { id: caseId, more: true },
      operationName: 'OneCase',
    },
  },
  {
    name: 'a page with its count',
    body: {
      query:
        'query Page($first: Int, $word: String) { cases(first: $first, filter: { search: $word }) ' +
        '{ totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status } } } }',
      variables: { first: 2, word },
    },
  },
  { name: 'a public answer with cache hints', body: { query: '{ geocode(place: "Lyon") { query displayName } }' } },
];
