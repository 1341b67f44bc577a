import { parse } from 'graphql';
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { UpdateProfileDocument } from '../../operations/generated/graphql';
import { gql, ok, sqlStatements } from '../support/client';
import { adminToken, reportCase, signUp } from './cases.fixtures';

const CaseWithReporter = parse('query CaseWithReporter($id: ID!) { case(id: $id) { id reporter { id displayName } } }');
const CaseWithReporterEmail = parse(
  'query CaseWithReporterEmail($id: ID!) { case(id: $id) { id reporter { id email } } }',
);

type CaseAnswer = {
  case: { id: string; reporter: { id: string; displayName?: string; email?: string | null } | null } | null;
};

/** The router's entity-cache lookups so far for users, by outcome. */
async function lookups(): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(new URL('/metrics', inject('routerUrl')))).text();
  const read = (outcome: string) =>
    text
      .split('\n')
      .filter(
        (l) =>
          l.startsWith('entity_cache_lookups_total{') &&
          l.includes('subgraph="users"') &&
          l.includes(`outcome="${outcome}"`),
      )
      .reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);
  return { hit: read('hit'), miss: read('miss') };
}

describe('the entity cache', () => {
  it("answers a case's reporter from the cache the second time: no request to users, no SQL there", async () => {
    const reporter = await signUp('entitycache');
    const reported = await reportCase(reporter.token);
    const first = (await gql(CaseWithReporter, { id: reported.id })).data as CaseAnswer;
    expect(first.case?.reporter).toEqual({ id: reporter.id, displayName: reporter.displayName });
    const before = { sql: await sqlStatements('users'), ...(await lookups()) };
    const second = (await gql(CaseWithReporter, { id: reported.id })).data as CaseAnswer;
    expect(second).toEqual(first);
    expect(await sqlStatements('users')).toBe(before.sql);
    const after = await lookups();
    expect(after.hit - before.hit).toBe(1);
    expect(after.miss - before.miss).toBe(0);
  });

  it("drops a user's cached fields when user.updated says they changed", async () => {
    const reporter = await signUp('renamed');
    const reported = await reportCase(reporter.token);
    await gql(CaseWithReporter, { id: reported.id }); // now cached
    await ok(UpdateProfileDocument, { input: { displayName: 'A New Name' } }, { token: reporter.token });
    // The event travels outbox → bus → router; until it arrives the old name may still show.
    let name: string | undefined;
    for (let i = 0; i < 100 && name !== 'A New Name'; i++) {
      name = ((await gql(CaseWithReporter, { id: reported.id })).data as CaseAnswer).case?.reporter?.displayName;
      if (name !== 'A New Name') await new Promise((r) => setTimeout(r, 100));
    }
    expect(name).toBe('A New Name');
  });

  it('keeps private fields per caller: nobody gets the email another caller was shown', async () => {
    const reporter = await signUp('private');
    const reported = await reportCase(reporter.token);
    const admin = await adminToken();
    const email = async (token?: string) =>
      ((await gql(CaseWithReporterEmail, { id: reported.id }, { token })).data as CaseAnswer).case?.reporter?.email;
    expect(await email(reporter.token)).toMatch(/@example\.com$/);
    expect(await email()).toBeNull();
    expect(await email(admin)).toMatch(/@example\.com$/);
    const other = await signUp('someone');
    expect(await email(other.token)).toBeNull();
    expect(await email(reporter.token)).toMatch(/@example\.com$/);
  });
});
