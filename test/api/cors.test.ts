import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRouter } from '../../router/src/server';
import { routerWith } from '../support/router-with';

const APP = 'https://app.example';
const ME = JSON.stringify({ query: '{ __typename }' });

/** The CORS headers of an answer, names lowercased, absent ones left out. */
function corsHeaders(res: Response): Record<string, string> {
  return Object.fromEntries([...res.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'));
}

async function post(url: string, origin?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
    body: ME,
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  return corsHeaders(res);
}

/**
 * CORS on `/graphql` as browsers meet it: listed origins only (or any with `*`), the correlation
 * header exposed, preflights cached ten minutes. Requests without an `Origin` (servers, mobile
 * apps, the bench) take a shorter path through the router, with the headers the CORS middleware
 * gives them; these answers pin both paths.
 */
describe('CORS on /graphql', () => {
  let listed: RunningRouter;
  let any: RunningRouter;
  beforeAll(async () => {
    [listed, any] = await Promise.all([
      routerWith({ CORS_ORIGINS: `${APP},https://admin.example`, REDIS_URL: '' }),
      routerWith({ CORS_ORIGINS: '*', REDIS_URL: '' }),
    ]);
  });
  afterAll(() => Promise.all([listed?.stop(), any?.stop()]));

  it('answers a listed origin with that origin and exposes the correlation id', async () => {
    expect(await post(listed.url, APP)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-expose-headers': 'x-correlation-id',
      vary: 'Origin',
    });
  });

  it('gives an unlisted origin no Access-Control-Allow-Origin', async () => {
    expect(await post(listed.url, 'https://evil.example')).toEqual({
      'access-control-expose-headers': 'x-correlation-id',
      vary: 'Origin',
    });
  });

  it('answers a request without Origin as the CORS middleware does: Vary and the exposed header only', async () => {
    expect(await post(listed.url)).toEqual({
      'access-control-expose-headers': 'x-correlation-id',
      vary: 'Origin',
    });
    expect(await post(any.url)).toEqual({ vary: 'Origin' });
  });

  it('reflects any origin with *', async () => {
    expect(await post(any.url, 'https://elsewhere.example')).toEqual({
      'access-control-allow-origin': 'https://elsewhere.example',
      vary: 'Origin',
    });
  });

  it('answers a preflight of a listed origin, cached for ten minutes', async () => {
    const res = await fetch(listed.url, {
      method: 'OPTIONS',
      headers: {
        origin: APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET,HEAD,PUT,PATCH,POST,DELETE',
      'access-control-allow-headers': 'content-type,authorization',
      'access-control-expose-headers': 'x-correlation-id',
      'access-control-max-age': '600',
      vary: 'Origin, Access-Control-Request-Headers',
    });
  });
});
