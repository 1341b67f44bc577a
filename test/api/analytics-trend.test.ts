import { beforeAll, describe, expect, it } from 'vitest';
import {
  CaseTrendDocument,
  ReportSightingDocument,
  SetCaseStatusDocument,
  type CaseStatus,
  type CaseTrendQuery,
  type TrendInterval,
} from '../../operations/generated/graphql';
import { codes, gql, ok, sqlStatements } from '../support/client';
import { adminToken, reportCase, signUp } from './cases.fixtures';

const DAY_MS = 86_400_000;
type Bucket = CaseTrendQuery['caseTrend'][number];
const MEASURES = ['reported', 'found', 'closed', 'sightings'] as const;

/** Sums of each measure over buckets. */
const totals = (buckets: Bucket[]) =>
  Object.fromEntries(MEASURES.map((m) => [m, buckets.reduce((sum, b) => sum + b[m], 0)]));

/** Polls `read` every 100 ms until it returns a truthy value, for up to 15 s (events reach analytics asynchronously). */
async function until<T>(read: () => Promise<T | null | undefined | false>): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const value = await read();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not met within 15 s');
}

describe('caseTrend through the router', () => {
  let admin: string;
  let user: { token: string };
  beforeAll(async () => {
    admin = await adminToken();
    user = await signUp('trend');
  });
  const trend = (interval: TrendInterval, from: string, to: string, token = admin) =>
    gql(CaseTrendDocument, { interval, from, to }, { token });

  it('is for ADMINs: UNAUTHENTICATED anonymously, FORBIDDEN for users', async () => {
    const args = ['DAY', '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z'] as const;
    expect(codes(await gql(CaseTrendDocument, { interval: args[0], from: args[1], to: args[2] }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect(codes(await trend(...args, user.token))).toEqual(['FORBIDDEN']);
  });

  it('refuses `to` before `from`, more than 366 buckets and malformed arguments with BAD_USER_INPUT, never a 500', async () => {
    const backwards = await trend('DAY', '2025-03-02T00:00:00Z', '2025-03-01T23:59:59Z');
    expect(backwards.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'to']]);
    expect(backwards.data).toBeNull();
    // 2024 is a leap year: 366 days fit, the first day of 2025 is one too many.
    expect(
      (
        await ok(
          CaseTrendDocument,
          { interval: 'DAY', from: '2024-01-01T00:00:00Z', to: '2024-12-31T23:59:59Z' },
          { token: admin },
        )
      ).caseTrend,
    ).toHaveLength(366);
    const tooLong = await trend('DAY', '2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
    expect(tooLong.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'to']]);
    expect(tooLong.errors?.[0]?.message).toContain('367 days');
    expect(codes(await trend('WEEK', '2000-01-01T00:00:00Z', '2010-01-01T00:00:00Z'))).toEqual(['BAD_USER_INPUT']);
    for (const bad of [
      { interval: 'MONTH', from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' },
      { interval: 'DAY', from: 'yesterday', to: '2025-02-01T00:00:00Z' },
    ]) {
      const r = await gql(CaseTrendDocument, bad as never, { token: admin });
      expect(r.status).toBeLessThan(500);
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('returns every ISO week from the one holding `from` to the one holding `to`, empty ones with zeros', async () => {
    // 2001-01-03 is a Wednesday, 2001-03-31 a Saturday: 13 weeks, from Monday 2001-01-01 to Monday 2001-03-26.
    const { caseTrend } = await ok(
      CaseTrendDocument,
      { interval: 'WEEK', from: '2001-01-03T18:00:00Z', to: '2001-03-31T12:00:00Z' },
      { token: admin },
    );
    expect(caseTrend).toHaveLength(13);
    caseTrend.forEach((b, i) => {
      expect(b).toEqual({
        start: new Date(Date.UTC(2001, 0, 1) + i * 7 * DAY_MS).toISOString(),
        reported: 0,
        found: 0,
        closed: 0,
        sightings: 0,
      });
    });
    const { caseTrend: days } = await ok(
      CaseTrendDocument,
      { interval: 'DAY', from: '2001-02-28T23:59:59Z', to: '2001-03-01T00:00:00Z' },
      { token: admin },
    );
    expect(days.map((b) => b.start)).toEqual(['2001-02-28T00:00:00.000Z', '2001-03-01T00:00:00.000Z']);
  });

  it('counts what happens today: reports, findings, closings and sightings', async () => {
    const now = Date.now();
    const range = ['DAY', new Date(now - DAY_MS).toISOString(), new Date(now + DAY_MS).toISOString()] as const;
    const read = async () =>
      (await ok(CaseTrendDocument, { interval: range[0], from: range[1], to: range[2] }, { token: admin })).caseTrend;
    const before = await read();
    expect(before).toHaveLength(3);
    expect(before[1]!.start).toBe(new Date(Math.floor(now / DAY_MS) * DAY_MS).toISOString());

    const found = await reportCase(user.token, { childName: 'Trend Found' });
    const closed = await reportCase(user.token, { childName: 'Trend Closed' });
    // Sightings are taken only while the child is missing.
    await ok(ReportSightingDocument, {
      input: { caseId: found.id, seenAt: new Date().toISOString(), place: 'by the fountain' },
    });
    await ok(SetCaseStatusDocument, { id: found.id, status: 'FOUND' as CaseStatus, note: null }, { token: user.token });
    await ok(
      SetCaseStatusDocument,
      { id: closed.id, status: 'CLOSED' as CaseStatus, note: null },
      { token: user.token },
    );

    const expected = { reported: 2, found: 1, closed: 1, sightings: 1 };
    const delta = (after: Bucket[]) =>
      Object.fromEntries(MEASURES.map((m) => [m, totals(after)[m]! - totals(before)[m]!]));
    const after = await until(async () => {
      const buckets = await read();
      const d = delta(buckets);
      return MEASURES.every((m) => d[m]! >= expected[m]) ? buckets : null;
    });
    expect(delta(after)).toEqual(expected);
  });

  it('costs the same two analytics statements for 31 buckets as for 366 (no statement per bucket)', async () => {
    // Ranges no other request asks for, so neither comes from the figure cache.
    for (const [from, to] of [
      ['2003-05-01T00:00:00Z', '2003-05-31T00:00:00Z'],
      ['2004-01-01T00:00:00Z', '2004-12-31T00:00:00Z'],
    ] as const) {
      const at = await sqlStatements('analytics');
      await ok(CaseTrendDocument, { interval: 'DAY', from, to }, { token: admin });
      expect((await sqlStatements('analytics')) - at).toBe(2); // the read models' version, then one query of all counts
    }
  });
});
