import { parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CaseByReportIdDocument,
  CaseDocument,
  CaseStatsDocument,
  DeleteCasesDocument,
  MyReportedCasesDocument,
  ReportCaseDocument,
  ReportSightingDocument,
  SetCaseStatusDocument,
  type CaseStatus,
} from '../../operations/generated/graphql';
import { codes, gql, ok } from '../support/client';
import { adminToken, caseInput, reportCase, signUp } from './cases.fixtures';

const PRIVATE = parse(
  `query ($id: ID!) { case(id: $id) { id contactPhone statusHistory { from to note changedBy { id } } sightings { id contact } } }`,
);
type Private = {
  case: {
    id: string;
    contactPhone: string | null;
    statusHistory: { from: string | null; to: string; note: string | null; changedBy: { id: string } }[];
    sightings: { id: string; contact: string | null }[];
  } | null;
};
const GEOCODE = parse(
  `query ($place: String!) { geocode(place: $place) { query displayName provider country location { lat lng } } }`,
);
const UPDATE = parse(
  `mutation ($id: ID!, $input: UpdateCaseInput!) { updateCase(id: $id, input: $input) { id childName age lastSeenPlace location { lat lng } locationType } }`,
);
const MISSING: CaseStatus = 'MISSING' as CaseStatus;
const FOUND: CaseStatus = 'FOUND' as CaseStatus;
const CLOSED: CaseStatus = 'CLOSED' as CaseStatus;

describe('cases through the router', () => {
  let admin: string;
  let reporter: Awaited<ReturnType<typeof signUp>>;
  let other: Awaited<ReturnType<typeof signUp>>;
  beforeAll(async () => {
    [admin, reporter, other] = await Promise.all([adminToken(), signUp('reporter'), signUp('other')]);
  });

  it('reports a case for a signed-in user, geocoding the place, with a well-formed reportId and the reporter from users', async () => {
    const c = await reportCase(reporter.token, { locationType: 'PARK' as never });
    expect(c).toMatchObject({
      status: 'MISSING',
      childName: 'Léa Martin',
      age: 8,
      gender: 'FEMALE',
      lastSeenPlace: 'Lyon, France',
    });
    expect(c.reportId).toMatch(new RegExp(`^MC${new Date().toISOString().slice(0, 10).replace(/-/g, '')}[0-9A-F]{8}$`));
    expect(c.location.lat).toBeCloseTo(45.75, 1);
    expect(c.location.lng).toBeCloseTo(4.85, 1);
    expect(c.reporter).toEqual({ id: reporter.id, displayName: reporter.displayName });
    const byRef = await ok(CaseByReportIdDocument, { reportId: c.reportId.toLowerCase() });
    expect(byRef.caseByReportId).toEqual({ id: c.id, reportId: c.reportId, status: 'MISSING' });
    expect((await ok(CaseByReportIdDocument, { reportId: 'MC20000101FFFFFFFF' })).caseByReportId).toBeNull();
  });

  it('keeps an explicit location instead of geocoding', async () => {
    const c = await reportCase(reporter.token, {
      lastSeenPlace: 'behind the old mill',
      location: { lat: 46.2, lng: 6.15 },
    });
    expect(c.location).toEqual({ lat: 46.2, lng: 6.15 });
  });

  it('refuses anonymous reports with UNAUTHENTICATED', async () => {
    const r = await gql(ReportCaseDocument, { input: caseInput() });
    expect(codes(r)).toEqual(['UNAUTHENTICATED']);
  });

  it.each([
    [{ age: 18 }, 'input.age'],
    [{ age: -1 }, 'input.age'],
    [{ lastSeenAt: new Date(Date.now() + 86_400_000).toISOString() }, 'input.lastSeenAt'],
    [{ lastSeenPlace: 'Qwzxv Blorptown Nowhereville' }, 'input.lastSeenPlace'],
    [{ childName: '   ' }, 'input.childName'],
    [{ contactPhone: 'call me' }, 'input.contactPhone'],
    [{ location: { lat: 91, lng: 0 } }, 'input.location.lat'],
  ])('refuses bad input %# with BAD_USER_INPUT naming the field', async (over, field) => {
    const r = await gql(ReportCaseDocument, { input: caseInput(over as never) }, { token: reporter.token });
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.errors![0]!.extensions!.field).toBe(field);
    expect(r.errors![0]!.message).toContain(field);
  });

  it('answers the Case query and shows contactPhone only to the reporter and ADMINs', async () => {
    const c = await reportCase(reporter.token);
    const full = (await ok(CaseDocument, { id: c.id })).case!;
    expect(full).toMatchObject({
      id: c.id,
      reportId: c.reportId,
      description: 'Blue coat, red backpack.',
      photoUrl: null,
      sightings: [],
    });
    expect(full.posterUrl).toBe(`http://localhost:4000/media/cases/${c.id}/poster.pdf`);
    expect(full.reporter).toEqual({ id: reporter.id, displayName: reporter.displayName });
    const phoneFor = async (token?: string) =>
      ((await ok(PRIVATE, { id: c.id } as never, { token })) as Private).case!.contactPhone;
    expect(await phoneFor(reporter.token)).toBe('+33612345678');
    expect(await phoneFor(admin)).toBe('+33612345678');
    expect(await phoneFor(other.token)).toBeNull();
    expect(await phoneFor()).toBeNull();
    expect((await ok(CaseDocument, { id: '00000000-0000-4000-8000-000000000000' })).case).toBeNull();
  });

  it('takes sightings from anyone, shows their contact only to the case reporter and ADMINs, and lists them on the case', async () => {
    const c = await reportCase(reporter.token);
    const seenAt = new Date(Date.now() - 600_000).toISOString();
    const s = (
      await ok(ReportSightingDocument, {
        input: {
          caseId: c.id,
          seenAt,
          place: 'Villeurbanne, France',
          description: 'Girl in a blue coat',
          contact: 'witness@example.org',
        } as never,
      })
    ).reportSighting;
    expect(s).toMatchObject({ seenAt, place: 'Villeurbanne, France', case: { id: c.id } });
    const signedIn = await ok(
      ReportSightingDocument,
      { input: { caseId: c.id, seenAt, place: 'somewhere by the river', location: { lat: 45.76, lng: 4.83 } } },
      { token: other.token },
    );
    const listed = (await ok(CaseDocument, { id: c.id })).case!.sightings;
    expect(listed.map((x) => x.id).sort()).toEqual([s.id, signedIn.reportSighting.id].sort());
    expect(listed.find((x) => x.id === s.id)!.location!.lat).toBeCloseTo(45.77, 1);
    const contactFor = async (token?: string) =>
      ((await ok(PRIVATE, { id: c.id } as never, { token })) as Private).case!.sightings.find((x) => x.id === s.id)!
        .contact;
    expect(await contactFor(reporter.token)).toBe('witness@example.org');
    expect(await contactFor(admin)).toBe('witness@example.org');
    expect(await contactFor(other.token)).toBeNull();
    expect(await contactFor()).toBeNull();
  });

  it('refuses a sighting for an unknown case with NOT_FOUND and bad sighting input with BAD_USER_INPUT', async () => {
    const seenAt = new Date().toISOString();
    const unknown = await gql(ReportSightingDocument, {
      input: { caseId: '00000000-0000-4000-8000-000000000000', seenAt, place: 'Lyon' },
    });
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    const malformed = await gql(ReportSightingDocument, { input: { caseId: 'not-an-id', seenAt, place: 'Lyon' } });
    expect(malformed.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.caseId' });
    const c = await reportCase(reporter.token);
    const future = await gql(ReportSightingDocument, {
      input: { caseId: c.id, seenAt: new Date(Date.now() + 86_400_000).toISOString(), place: 'Lyon' },
    });
    expect(future.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.seenAt' });
  });

  it('lets only the reporter or an ADMIN change the status, and records the history with notes', async () => {
    const c = await reportCase(reporter.token);
    expect(codes(await gql(SetCaseStatusDocument, { id: c.id, status: FOUND, note: null }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect(
      codes(await gql(SetCaseStatusDocument, { id: c.id, status: FOUND, note: null }, { token: other.token })),
    ).toEqual(['FORBIDDEN']);
    expect(
      codes(
        await gql(
          SetCaseStatusDocument,
          { id: '00000000-0000-4000-8000-000000000000', status: FOUND, note: null },
          { token: admin },
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    const found = await ok(
      SetCaseStatusDocument,
      { id: c.id, status: FOUND, note: "Found at a neighbour's house" },
      { token: reporter.token },
    );
    expect(found.setCaseStatus).toEqual({ id: c.id, status: 'FOUND' });
    expect(
      codes(await gql(SetCaseStatusDocument, { id: c.id, status: FOUND, note: null }, { token: reporter.token })),
    ).toEqual(['CONFLICT']);
    expect(
      codes(await gql(SetCaseStatusDocument, { id: c.id, status: MISSING, note: null }, { token: reporter.token })),
    ).toEqual(['FORBIDDEN']);
    const closed = await ok(
      SetCaseStatusDocument,
      { id: c.id, status: CLOSED, note: 'Family confirmed' },
      { token: admin },
    );
    expect(closed.setCaseStatus.status).toBe('CLOSED');
    const history = ((await ok(PRIVATE, { id: c.id } as never, { token: reporter.token })) as Private).case!
      .statusHistory;
    expect(history).toEqual([
      { from: null, to: 'MISSING', note: null, changedBy: { id: reporter.id } },
      { from: 'MISSING', to: 'FOUND', note: "Found at a neighbour's house", changedBy: { id: reporter.id } },
      expect.objectContaining({ from: 'FOUND', to: 'CLOSED', note: 'Family confirmed' }),
    ]);
    const late = await gql(ReportSightingDocument, {
      input: { caseId: c.id, seenAt: new Date().toISOString(), place: 'Lyon' },
    });
    expect(codes(late)).toEqual(['CONFLICT']);
  });

  it('updates a case for its reporter, geocoding a new place, and refuses others', async () => {
    const c = await reportCase(reporter.token);
    expect(codes(await gql(UPDATE, { id: c.id, input: { age: 9 } } as never, { token: other.token }))).toEqual([
      'FORBIDDEN',
    ]);
    const r = await ok(
      UPDATE,
      { id: c.id, input: { age: 9, lastSeenPlace: 'Grenoble, France', locationType: 'SCHOOL' } } as never,
      { token: reporter.token },
    );
    const updated = (
      r as { updateCase: { age: number; lastSeenPlace: string; location: { lat: number }; locationType: string } }
    ).updateCase;
    expect(updated).toMatchObject({ age: 9, lastSeenPlace: 'Grenoble, France', locationType: 'SCHOOL' });
    expect(updated.location.lat).toBeCloseTo(45.19, 1);
    const bad = await gql(UPDATE, { id: c.id, input: { age: 30 } } as never, { token: reporter.token });
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.age' });
  });

  it('counts cases by status and deletes cases for ADMINs only', async () => {
    const before = (await ok(CaseStatsDocument)).caseStats;
    const a = await reportCase(reporter.token);
    const b = await reportCase(reporter.token);
    await ok(SetCaseStatusDocument, { id: b.id, status: FOUND, note: null }, { token: reporter.token });
    const mid = (await ok(CaseStatsDocument)).caseStats;
    expect(mid.total - before.total).toBe(2);
    expect(mid.found - before.found).toBe(1);
    expect(mid.missing + mid.found + mid.closed).toBe(mid.total);
    expect(codes(await gql(DeleteCasesDocument, { ids: [a.id] }, { token: reporter.token }))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(DeleteCasesDocument, { ids: [a.id] }))).toEqual(['UNAUTHENTICATED']);
    const bad = await gql(DeleteCasesDocument, { ids: ['nope'] }, { token: admin });
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids[0]' });
    const deleted = await ok(
      DeleteCasesDocument,
      { ids: [a.id, b.id, '00000000-0000-4000-8000-000000000000'] },
      { token: admin },
    );
    expect(deleted.deleteCases).toBe(2);
    expect((await ok(CaseDocument, { id: a.id })).case).toBeNull();
    expect((await ok(CaseStatsDocument)).caseStats.total).toBe(before.total);
  });

  it("lists the signed-in user's reported cases on Me (User from users, reportedCases from cases)", async () => {
    const me = await signUp('mine');
    const first = await reportCase(me.token);
    const second = await reportCase(me.token);
    const data = await ok(MyReportedCasesDocument, {}, { token: me.token });
    expect(data.me!.id).toBe(me.id);
    expect(data.me!.reportedCases!.map((c) => c.id)).toEqual([second.id, first.id]);
  });

  it('geocodes a place through the provider chain and answers null for an unknown place', async () => {
    const found = (await ok(GEOCODE, { place: 'Lyon, France' } as never)) as {
      geocode: { provider: string; country: string; location: { lat: number } };
    };
    expect(found.geocode).toMatchObject({ provider: 'gazetteer', country: 'FR' });
    expect(found.geocode.location.lat).toBeCloseTo(45.75, 1);
    expect(
      ((await ok(GEOCODE, { place: 'Qwzxv Blorptown Nowhereville' } as never)) as { geocode: null }).geocode,
    ).toBeNull();
  });
});
