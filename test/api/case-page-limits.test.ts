import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CaseSightingsDocument } from '../../operations/generated/graphql';
import type { RunningRouter } from '../../router/src/server';
import { ok } from '../support/client';
import { routerWith } from '../support/router-with';
import { reportCase, signUp, uniqueWord } from './cases.fixtures';

/** Requests one address may send this router per minute, over /graphql and /cases together. */
const PER_IP = 5;

describe('the case page behind the per-IP rate limit, through the router', () => {
  let router: RunningRouter;
  let origin: string;
  beforeAll(async () => {
    const production = inject('mode') === 'production';
    router = await routerWith({
      RATE_LIMIT_IP_PER_MINUTE: String(PER_IP),
      // On the production path the counters live in Redis, as they do for several replicas.
      REDIS_URL: production ? process.env.TEST_REDIS_URL : '',
      REDIS_PREFIX: `case-page-limit-${process.pid}-${Date.now()}`,
    });
    origin = new URL(router.url).origin;
  });
  afterAll(() => router?.stop());

  const postSighting = (reportId: string, place: string) =>
    fetch(`${origin}/cases/${reportId}/sightings`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ seenAgo: '0', place }).toString(),
    });
  const graphql = () =>
    fetch(router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });

  it('counts the sighting form with /graphql and answers over the limit with a readable 429 page, taking nothing', async () => {
    // The case comes from the suite's own router: this one's budget is for the requests under test.
    const c = await reportCase((await signUp('page-limit')).token);
    const place = `Quai Saint-Antoine ${uniqueWord('q')}`;

    for (let i = 0; i < PER_IP - 2; i++) expect((await graphql()).status).toBe(200);
    const taken = await postSighting(c.reportId, place);
    expect(taken.status).toBe(303);
    expect(taken.headers.get('location')).toBe(`/cases/${c.reportId}?sighting=received#sightings`);
    expect((await fetch(`${origin}/cases/${c.reportId}`)).status).toBe(200); // the last request of the minute

    const refused = await postSighting(c.reportId, `${place} again`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const page = await refused.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain(`<p>Too many requests from your address. Try again in ${retryAfter} s.</p>`);
    expect(page).not.toMatch(/stack|Error:|INTERNAL_SERVER_ERROR/);

    // The same counter refuses the page itself and the API, each in its own form.
    const pageRefused = await fetch(`${origin}/cases/${c.reportId}`);
    expect([pageRefused.status, pageRefused.headers.get('content-type')]).toEqual([429, expect.stringMatching(/html/)]);
    const apiRefused = await graphql();
    expect(apiRefused.status).toBe(429);
    expect(
      ((await apiRefused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
    ).toBe('RATE_LIMITED');

    // Only the sighting sent within the limit reached the case.
    const { case: seen } = await ok(CaseSightingsDocument, { id: c.id });
    expect(seen!.sightings.map((s) => s.place)).toEqual([place]);
  });
});
