import { parse, print } from 'graphql';
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { sqlStatements } from '../support/client';

/** GraphQL operations the cases subgraph has served for the router's `GeocodeCached`. */
async function geocodesServed(): Promise<number> {
  const text = await (await fetch(new URL('/metrics', inject('subgraphUrls').cases))).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('graphql_operations_total{') && l.includes('GeocodeCached'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

const Geocode = print(
  parse('query GeocodeCached { geocode(place: "Lyon") { query displayName location { lat lng } } }'),
);
const FirstCase = print(parse('query FirstCaseUncached { cases(first: 1) { edges { node { id } } } }'));

const post = (query: string) =>
  fetch(inject('routerUrl'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });

describe('the response cache', () => {
  it('keeps a public answer as long as its @cacheControl hints say, and says so in Cache-Control', async () => {
    const first = await post(Geocode);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('max-age=3600, public');
    const answer = await first.json();
    expect(answer.data.geocode.location.lat).toBeCloseTo(45.76, 1);
    const before = await geocodesServed();
    expect(before).toBeGreaterThan(0);
    const second = await post(Geocode);
    expect(await second.json()).toEqual(answer);
    expect(await geocodesServed()).toBe(before);
  });

  it('keeps nothing that a subgraph did not hint as cacheable', async () => {
    const first = await post(FirstCase);
    expect(first.headers.get('cache-control')).toBe('no-store');
    await first.json();
    const before = await sqlStatements('cases');
    await (await post(FirstCase)).json();
    expect(await sqlStatements('cases')).toBeGreaterThan(before);
  });
});
