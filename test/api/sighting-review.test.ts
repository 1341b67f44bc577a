import { parse } from 'graphql';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { IDENTITY_HEADER, signIdentity } from '@supergraph/kit';
import {
  CaseSightingsDocument,
  DeleteCasesDocument,
  MyNotificationsDocument,
  ReportSightingDocument,
  ReviewSightingDocument,
  type SightingStatus,
} from '../../operations/generated/graphql';
import { codes, gql, ok } from '../support/client';
import { settledConsumers } from '../support/fuzz.consumers';
import { adminToken, reportCase, signUp, uniqueWord } from './cases.fixtures';

const REVIEW_STATS = parse('{ sightingReviewStats { verified dismissed unreviewed } }');
type Stats = { verified: number; dismissed: number; unreviewed: number };

/** Polls `probe` until it returns a truthy value, at most `ms` (events reach other subgraphs asynchronously). */
async function until<T>(probe: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const stats = async (token: string) =>
  ((await gql(REVIEW_STATS, {}, { token })).data as { sightingReviewStats: Stats }).sightingReviewStats;

describe('sighting triage (ReviewSighting, CaseSightings) through the router', () => {
  let reporter: Awaited<ReturnType<typeof signUp>>;
  let stranger: Awaited<ReturnType<typeof signUp>>;
  let admin: string;
  beforeAll(async () => {
    [reporter, stranger, admin] = await Promise.all([signUp('triage'), signUp('onlooker'), adminToken()]);
  });

  const sight = async (caseId: string, place: string) =>
    (
      await ok(ReportSightingDocument, {
        input: { caseId, seenAt: new Date().toISOString(), place, location: { lat: 45.75, lng: 4.85 } },
      })
    ).reportSighting.id;
  const review = (id: string, status: string, token?: string, note: string | null = null) =>
    gql(ReviewSightingDocument, { id, status: status as SightingStatus, note }, { token });
  const seen = async (caseId: string, token?: string) =>
    (await ok(CaseSightingsDocument, { id: caseId }, { token })).case!.sightings.map((s) => [s.place, s.status]);

  it('lets the reporter and ADMINs verify and dismiss; dismissed sightings are hidden from everyone else', async () => {
    const c = await reportCase(reporter.token);
    const tag = uniqueWord('place');
    const [s1, s2, s3] = [
      await sight(c.id, `${tag} one`),
      await sight(c.id, `${tag} two`),
      await sight(c.id, `${tag} three`),
    ];
    expect(await seen(c.id)).toEqual([
      [`${tag} three`, 'NEW'],
      [`${tag} two`, 'NEW'],
      [`${tag} one`, 'NEW'],
    ]);

    const verified = await review(s1, 'VERIFIED', reporter.token, 'Confirmed by the bakery owner.');
    expect(verified.errors).toBeUndefined();
    expect(verified.data!.reviewSighting).toMatchObject({ id: s1, status: 'VERIFIED' });
    expect(Date.parse(verified.data!.reviewSighting.reviewedAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect((await review(s2, 'DISMISSED', admin)).data!.reviewSighting).toMatchObject({ id: s2, status: 'DISMISSED' });

    const visible = [
      [`${tag} three`, 'NEW'],
      [`${tag} one`, 'VERIFIED'],
    ];
    expect(await seen(c.id)).toEqual(visible);
    expect(await seen(c.id, stranger.token)).toEqual(visible);
    const all = [
      [`${tag} three`, 'NEW'],
      [`${tag} two`, 'DISMISSED'],
      [`${tag} one`, 'VERIFIED'],
    ];
    expect(await seen(c.id, reporter.token)).toEqual(all);
    expect(await seen(c.id, admin)).toEqual(all);
    // Not through an entity reference either: the cases subgraph answers null for anyone else.
    const entities = parse('query($r: [_Any!]!) { _entities(representations: $r) { ... on Sighting { id status } } }');
    const headers = {
      [IDENTITY_HEADER]: await signIdentity(
        { userId: stranger.id, role: 'USER' },
        'triage-test',
        inject('signingSecret'),
      ),
    };
    const refs = await gql<{ _entities: unknown[] }, object>(
      entities,
      { r: [s2, s3].map((id) => ({ __typename: 'Sighting', id })) },
      { url: inject('subgraphUrls').cases!, headers },
    );
    expect(refs.data!._entities).toEqual([null, { id: s3, status: 'NEW' }]);

    // Back to NEW clears the review; the public sees it again.
    expect((await review(s2, 'NEW', reporter.token)).data!.reviewSighting).toEqual({
      id: s2,
      status: 'NEW',
      reviewedAt: null,
    });
    expect(await seen(c.id, stranger.token)).toEqual([
      [`${tag} three`, 'NEW'],
      [`${tag} two`, 'NEW'],
      [`${tag} one`, 'VERIFIED'],
    ]);
  });

  it("notifies the case's reporter of a VERIFIED sighting, and analytics counts verified and dismissed ones", async () => {
    // The counts are compared exactly: the earlier test's reviews must have reached analytics first.
    await settledConsumers(inject('subgraphUrls'));
    const before = await stats(admin);
    const c = await reportCase(reporter.token);
    const tag = uniqueWord('bakery');
    const [s1, s2, s3] = [await sight(c.id, `${tag} A`), await sight(c.id, `${tag} B`), await sight(c.id, `${tag} C`)];
    await review(s1, 'VERIFIED', admin, 'Seen on camera.');
    await review(s2, 'DISMISSED', reporter.token);
    await review(s3, 'VERIFIED', reporter.token);

    const inbox = async () =>
      (
        await ok(MyNotificationsDocument, { first: 50, after: null, unreadOnly: null }, { token: reporter.token })
      ).me!.notifications!.edges.map((e) => e.node);
    const notes = await until(async () => {
      const found = (await inbox()).filter((n) => n.title === `Sighting verified for case ${c.reportId}`);
      return found.length === 2 && found;
    });
    expect(notes.map((n) => n.category)).toEqual(['ALERT', 'ALERT']);
    expect(notes.some((n) => n.body.includes(`${tag} A`) && n.body.includes('Seen on camera.'))).toBe(true);
    expect(notes.some((n) => n.body.includes(`${tag} C`))).toBe(true);
    expect((await inbox()).some((n) => n.body.includes(`${tag} B`) && n.title.startsWith('Sighting verified'))).toBe(
      false,
    );

    const after = await until(async () => {
      const now = await stats(admin);
      return now.verified === before.verified + 2 && now.dismissed === before.dismissed + 1 && now;
    });
    expect(after).toMatchObject({ verified: before.verified + 2, dismissed: before.dismissed + 1 });
    // A verified sighting set back to NEW no longer counts; a deleted case takes its reviews along.
    await review(s3, 'NEW', reporter.token);
    await until(async () => (await stats(admin)).verified === before.verified + 1);
    await ok(DeleteCasesDocument, { ids: [c.id] }, { token: admin });
    await until(async () => {
      const now = await stats(admin);
      return now.verified === before.verified && now.dismissed === before.dismissed;
    });
    expect(codes(await gql(REVIEW_STATS, {}, { token: reporter.token }))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(REVIEW_STATS, {}))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses everyone else and bad input with a clear code, never a 500', async () => {
    const c = await reportCase(reporter.token);
    const s = await sight(c.id, 'Gare Part-Dieu');
    const refusal = async (r: ReturnType<typeof review>) => {
      const res = await r;
      expect(res.status).toBeLessThan(500);
      return res.errors?.[0]?.extensions;
    };
    expect(await refusal(review(s, 'VERIFIED'))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await refusal(review(s, 'VERIFIED', stranger.token))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(review('00000000-0000-4000-8000-000000000000', 'VERIFIED', reporter.token))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await refusal(review('not-an-id', 'VERIFIED', reporter.token))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'id',
    });
    expect((await refusal(review(s, 'MAYBE', reporter.token)))?.code).toBe('BAD_USER_INPUT');
    expect(await refusal(review(s, 'DISMISSED', reporter.token, 'x'.repeat(1001)))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'note',
    });
    expect(await refusal(review(s, 'NEW', reporter.token))).toMatchObject({ code: 'CONFLICT' });
    expect((await review(s, 'DISMISSED', reporter.token)).errors).toBeUndefined();
    expect(await refusal(review(s, 'DISMISSED', admin))).toMatchObject({ code: 'CONFLICT' });
    expect(await seen(c.id, stranger.token)).toEqual([]);
  });
});
