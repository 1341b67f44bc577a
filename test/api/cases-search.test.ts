import { parse } from 'graphql';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { IDENTITY_HEADER, signIdentity } from '@supergraph/kit';
import {
  CasesDocument,
  ReportSightingDocument,
  SetCaseStatusDocument,
  type CaseFilter,
  type CaseStatus,
  type CasesQuery,
} from '../../operations/generated/graphql';
import { codes, gql, ok, sqlStatements } from '../support/client';
import { reportCase, signUp, uniqueWord } from './cases.fixtures';

const HOUR = 3_600_000;
const WITH_CHILDREN = parse(`query ($filter: CaseFilter, $first: Int) {
  cases(filter: $filter, first: $first) { totalCount edges { node { id reporter { id displayName } sightings { id place } } } }
}`);

/** Every id of a search, page by page with `pageSize`, checking totalCount on each page. */
async function allPages(filter: CaseFilter, pageSize: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: CasesQuery['cases'] = (await ok(CasesDocument, { filter, first: pageSize, after })).cases;
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
}

describe('case search through the router', () => {
  let reporter: Awaited<ReturnType<typeof signUp>>;
  beforeAll(async () => {
    reporter = await signUp('search');
  });

  it('filters by distance (bounding box + exact radius), status and words, and pages with a stable keyset', async () => {
    const word = uniqueWord('near');
    const at = (h: number) => new Date(Date.now() - h * HOUR).toISOString();
    const lyon = await reportCase(reporter.token, {
      description: `${word} lyon`,
      location: { lat: 45.76, lng: 4.84 },
      lastSeenAt: at(1),
    });
    const villeurbanne = await reportCase(reporter.token, {
      description: `${word} villeurbanne`,
      location: { lat: 45.77, lng: 4.88 },
      lastSeenAt: at(2),
    });
    const vienne = await reportCase(reporter.token, {
      description: `${word} vienne`,
      location: { lat: 45.52, lng: 4.87 },
      lastSeenAt: at(3),
    });
    const paris = await reportCase(reporter.token, {
      description: `${word} paris`,
      location: { lat: 48.86, lng: 2.35 },
      lastSeenAt: at(4),
    });
    const fiji = await reportCase(reporter.token, {
      description: `${word} fiji`,
      location: { lat: -17.7, lng: 179.95 },
      lastSeenAt: at(5),
    });
    await ok(
      SetCaseStatusDocument,
      { id: villeurbanne.id, status: 'FOUND' as CaseStatus, note: null },
      { token: reporter.token },
    );

    const ids = async (filter: CaseFilter) =>
      (await ok(CasesDocument, { filter, first: 100, after: null })).cases.edges.map((e) => e.node.id);
    expect(await ids({ search: word })).toEqual([lyon.id, villeurbanne.id, vienne.id, paris.id, fiji.id]);
    expect(await ids({ search: `${word.toUpperCase()} PARIS` })).toEqual([paris.id]);
    expect(await ids({ search: word, near: { lat: 45.76, lng: 4.84, radiusKm: 10 } })).toEqual([
      lyon.id,
      villeurbanne.id,
    ]);
    expect(await ids({ search: word, near: { lat: 45.76, lng: 4.84, radiusKm: 30 } })).toEqual([
      lyon.id,
      villeurbanne.id,
      vienne.id,
    ]);
    expect(
      await ids({ search: word, near: { lat: 45.76, lng: 4.84, radiusKm: 30 }, status: 'MISSING' as CaseStatus }),
    ).toEqual([lyon.id, vienne.id]);
    // Across the antimeridian: the box splits in two longitude ranges.
    expect(await ids({ search: word, near: { lat: -17.7, lng: -179.95, radiusKm: 25 } })).toEqual([fiji.id]);

    const page = (await ok(CasesDocument, { filter: { search: word }, first: 2, after: null })).cases;
    expect(page.totalCount).toBe(5);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(await allPages({ search: word }, 2)).toEqual([lyon.id, villeurbanne.id, vienne.id, paris.id, fiji.id]);
    // A case reported after the first page was read does not shift the later pages.
    const next = await ok(CasesDocument, { filter: { search: word }, first: 2, after: page.pageInfo.endCursor });
    await reportCase(reporter.token, { description: `${word} newer`, location: { lat: 45.7, lng: 4.8 } });
    const again = await ok(CasesDocument, { filter: { search: word }, first: 2, after: page.pageInfo.endCursor });
    expect(again.cases.edges.map((e) => e.node.id)).toEqual(next.cases.edges.map((e) => e.node.id));
    expect(again.cases.totalCount).toBe(6);
  });

  it('refuses a bad cursor, radius or page size with BAD_USER_INPUT naming the argument', async () => {
    const field = async (vars: object) => (await gql(CasesDocument, vars as never)).errors?.[0]?.extensions;
    expect(await field({ after: 'garbage' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(await field({ first: 101 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(await field({ filter: { near: { lat: 45, lng: 4, radiusKm: 0 } } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.near.radiusKm',
    });
    expect(await field({ filter: { near: { lat: 95, lng: 4, radiusKm: 5 } } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.near.lat',
    });
  });

  it('costs the same number of SQL statements per subgraph for 10 and 100 cases with reporter and sightings', async () => {
    const word = uniqueWord('bulk');
    const reporters = [reporter, ...(await Promise.all([signUp('bulk1'), signUp('bulk2')]))];
    const created: string[] = [];
    for (let batch = 0; batch < 7; batch++) {
      const made = await Promise.all(
        Array.from({ length: 15 }, (_, i) =>
          reportCase(reporters[(batch + i) % 3]!.token, {
            description: word,
            location: { lat: 40 + i / 10, lng: 3 + batch / 10 },
          }),
        ),
      );
      created.push(...made.map((c) => c.id));
    }
    await Promise.all(
      created.slice(0, 30).map((caseId, i) =>
        ok(ReportSightingDocument, {
          input: { caseId, seenAt: new Date().toISOString(), place: `corner ${i}`, location: { lat: 40, lng: 3 } },
        }),
      ),
    );

    const cost = async (first: number) => {
      const before = { cases: await sqlStatements('cases'), users: await sqlStatements('users') };
      const r = (await ok(WITH_CHILDREN, { filter: { search: word }, first } as never)) as {
        cases: { totalCount: number; edges: { node: { reporter: { displayName: string }; sightings: unknown[] } }[] };
      };
      expect(r.cases.edges).toHaveLength(first);
      expect(r.cases.totalCount).toBe(105);
      expect(r.cases.edges.every((e) => e.node.reporter.displayName.startsWith('Reporter'))).toBe(true);
      return {
        cases: (await sqlStatements('cases')) - before.cases,
        users: (await sqlStatements('users')) - before.users,
      };
    };
    const ten = await cost(10);
    const hundred = await cost(100);
    expect(hundred.cases).toBe(ten.cases);
    expect(hundred.cases).toBeLessThanOrEqual(3); // page + count + one windowed sightings query
    // One _entities batch for every reporter, or none where the router's entity cache holds them all.
    expect(ten.users).toBeLessThanOrEqual(1);
    expect(hundred.users).toBeLessThanOrEqual(1);
  });

  it('folds totalCount into the page statement, however the client selects it', async () => {
    const run = async (selection: string, fragments = '') => {
      const before = await sqlStatements('cases');
      const r = await gql(parse(`{ cases(first: 5) { ${selection} edges { node { id } } } } ${fragments}`));
      expect(r.errors).toBeUndefined();
      const data = r.data as { cases: { totalCount?: number } };
      return { statements: (await sqlStatements('cases')) - before, total: data.cases.totalCount };
    };
    expect(await run('')).toEqual({ statements: 1, total: undefined }); // the page, no count
    const direct = await run('totalCount');
    expect(direct.statements).toBe(1); // the page with its count
    expect(direct.total).toBeGreaterThan(0);
    expect(await run('... on CaseConnection { totalCount }')).toEqual(direct);
    expect(await run('...Total', 'fragment Total on CaseConnection { totalCount }')).toEqual(direct);
  });

  it('resolves 100 Case and 100 Sighting entities with one SQL statement each, in key order', async () => {
    const c = await reportCase(reporter.token);
    const s = (
      await ok(ReportSightingDocument, { input: { caseId: c.id, seenAt: new Date().toISOString(), place: 'Lyon' } })
    ).reportSighting;
    const url = inject('subgraphUrls').cases!;
    const headers = { [IDENTITY_HEADER]: await signIdentity({}, 'entities-test', inject('signingSecret')) };
    const unknown = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    for (const [typename, id, fields] of [
      ['Case', c.id, 'reportId'],
      ['Sighting', s.id, 'place'],
    ] as const) {
      const ids = Array.from({ length: 100 }, (_, i) => (i === 0 ? id : unknown(i)));
      const query = parse(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { id ${fields} } } }`,
      );
      const before = await sqlStatements('cases');
      const r = await gql<{ _entities: ({ id: string } | null)[] }, object>(
        query,
        { r: ids.map((k) => ({ __typename: typename, id: k })) },
        { url, headers },
      );
      expect(r.errors).toBeUndefined();
      expect((await sqlStatements('cases')) - before).toBe(1);
      expect(r.data!._entities).toHaveLength(100);
      expect(r.data!._entities[0]!.id).toBe(id);
      expect(r.data!._entities.slice(1).every((e) => e === null)).toBe(true);
    }
  });

  it('refuses GraphQL requests that the router did not sign', async () => {
    const r = await gql(
      CasesDocument,
      { filter: null, first: null, after: null },
      { url: inject('subgraphUrls').cases! },
    );
    expect(r.status).toBe(401);
    expect(codes(r)).toEqual(['UNAUTHENTICATED']);
  });
});
