import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { gql } from '../support/client';
import { signUp } from './cases.fixtures';

// Different client requests (other variables) whose first subgraph fetch, `me` from users, is the
// same: the router sends that fetch once and hands each request its own copy.
const MeWithReportedCases = parse(
  'query MeWithReportedCases($first: Int) { me { id displayName reportedCases(first: $first) { id } } }',
);

describe("the router's sharing of identical subgraph fetches", () => {
  it('answers every request in full when requests in flight together share a fetch', async () => {
    const user = await signUp('fetchsharing');
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => gql(MeWithReportedCases, { first: (i % 12) + 1 }, { token: user.token })),
    );
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({ me: { id: user.id, displayName: user.displayName, reportedCases: [] } });
    }
  });
});
