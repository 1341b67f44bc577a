import { beforeAll, describe, expect, it } from 'vitest';
import { DeleteCasesDocument, RecentAlertsDocument, type RecentAlertsQuery } from '../../operations/generated/graphql';
import { codes, gql, ok, sqlStatements } from '../support/client';
import { adminToken, reportCase, signUp, uniqueWord } from './cases.fixtures';

type Recent = RecentAlertsQuery['recentAlerts'];

/** Polls `read` every 100 ms until it returns a truthy value, for up to 15 s (alerts are raised from events). */
async function until<T>(read: () => Promise<T | null | undefined | false>): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const value = await read();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not met within 15 s');
}

describe('recentAlerts through the router', () => {
  let reporter: { token: string };
  let cases: Array<Awaited<ReturnType<typeof reportCase>>>;
  const place = uniqueWord('Quay');
  beforeAll(async () => {
    reporter = await signUp('recent');
    cases = [];
    for (const name of ['Ava', 'Bea', 'Cleo']) {
      cases.push(
        await reportCase(reporter.token, {
          childName: name,
          lastSeenPlace: `${place} ${name}`,
          location: { lat: 46.2, lng: 6.15 },
        }),
      );
    }
  });

  it('lists the newest alerts first, anonymously, with their cases resolved by the cases subgraph', async () => {
    const ids = cases.map((c) => c.id).reverse();
    const recent = await until(async () => {
      const r = (await ok(RecentAlertsDocument, { first: 3 })).recentAlerts;
      return r.map((a) => a.case.id).join() === ids.join() ? r : null;
    });
    expect(recent.map((a) => a.case)).toEqual(
      [...cases].reverse().map((c, i) => ({
        id: c.id,
        reportId: c.reportId,
        childName: ['Cleo', 'Bea', 'Ava'][i],
        lastSeenPlace: `${place} ${['Cleo', 'Bea', 'Ava'][i]}`,
      })),
    );
    const all = (await ok(RecentAlertsDocument, { first: null })).recentAlerts;
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.length).toBeLessThanOrEqual(20); // the default
    const times = all.map((a) => Date.parse(a.raisedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('refuses `first` outside 1–100 with BAD_USER_INPUT on `first`', async () => {
    for (const first of [0, -1, 101]) {
      const r = await gql(RecentAlertsDocument, { first });
      expect(r.status).toBeLessThan(500);
      expect(r.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'first']]);
    }
    expect(codes(await gql(RecentAlertsDocument, { first: 'ten' } as never))).toEqual(['BAD_USER_INPUT']);
  });

  it('costs one notifications statement for 100 alerts', async () => {
    const at = await sqlStatements('notifications');
    const { recentAlerts } = await ok(RecentAlertsDocument, { first: 100 });
    expect(recentAlerts.length).toBeGreaterThanOrEqual(3);
    expect((await sqlStatements('notifications')) - at).toBe(1);
  });

  it('drops the alert of a deleted case, and the list still resolves', async () => {
    const doomed = cases[1]!;
    expect((await ok(DeleteCasesDocument, { ids: [doomed.id] }, { token: await adminToken() })).deleteCases).toBe(1);
    // Until the deletion event reaches notifications, the alert still names the case that cases no
    // longer knows (its fields then answer an error); once there, the alert is gone.
    const recent: Recent = await until(async () => {
      const r = await gql(RecentAlertsDocument, { first: 100 });
      return !r.errors && r.data && !r.data.recentAlerts.some((a) => a.case.id === doomed.id)
        ? r.data.recentAlerts
        : null;
    });
    expect(recent.map((a) => a.case.id).slice(0, 2)).toEqual([cases[2]!.id, cases[0]!.id]);
  });
});
