import { parse, print } from 'graphql';
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { sqlStatements } from '../support/client';

const CaseStats = print(parse('query CaseStatsCached { caseStats { total missing found closed } }'));
const FirstCase = print(parse('query FirstCaseUncached { cases(first: 1) { edges { node { id } } } }'));

const post = (query: string) =>
  fetch(inject('routerUrl'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });

describe('the response cache', () => {
  it('keeps a public answer as long as its @cacheControl hints say, and says so in Cache-Control', async () => {
    const first = await post(CaseStats);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('max-age=10, public');
    const answer = await first.json();
    const before = await sqlStatements('cases');
    const second = await post(CaseStats);
    expect(await second.json()).toEqual(answer);
    expect(await sqlStatements('cases')).toBe(before);
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
