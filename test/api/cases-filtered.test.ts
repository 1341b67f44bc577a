import { beforeAll, describe, expect, it } from 'vitest';
import {
  CasesFilteredDocument,
  type CaseFilter,
  type CaseOrder,
  type CasesFilteredQuery,
  type CasesFilteredQueryVariables,
  type Gender,
} from '../../operations/generated/graphql';
import { gql, ok, sqlStatements } from '../support/client';
import { reportCase, signUp, uniqueWord } from './cases.fixtures';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const LYON = { lat: 45.76, lng: 4.84 };

/** Every id of a search in `orderBy`, page by page with `size`; checks totalCount on every page. */
async function allPages(filter: CaseFilter, orderBy: CaseOrder | null, size: number, total: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: CasesFilteredQuery['cases'] = (await ok(CasesFilteredDocument, { filter, orderBy, first: size, after }))
      .cases;
    expect(page.totalCount).toBe(total);
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor!;
  }
}

describe('filtered and ordered case search (CasesFiltered) through the router', () => {
  const word = uniqueWord('filtered');
  let ids: Record<'a' | 'b' | 'c' | 'tooOld' | 'boy' | 'longAgo' | 'paris' | 'tooYoung', string>;
  beforeAll(async () => {
    const { token } = await signUp('filtered');
    const report = async (age: number, gender: string, days: number, location: { lat: number; lng: number }) =>
      (await reportCase(token, { description: word, age, gender: gender as Gender, lastSeenAt: ago(days), location }))
        .id;
    ids = {
      a: await report(7, 'FEMALE', 1, { lat: 45.77, lng: 4.84 }), // ~1.1 km from Lyon
      b: await report(6, 'FEMALE', 2, { lat: 45.8, lng: 4.84 }), // ~4.4 km
      c: await report(9, 'FEMALE', 3, { lat: 45.77, lng: 4.84 }), // same point as a: the id breaks the tie
      tooOld: await report(10, 'FEMALE', 1, { lat: 45.761, lng: 4.84 }),
      boy: await report(7, 'MALE', 1, { lat: 45.761, lng: 4.84 }),
      longAgo: await report(8, 'FEMALE', 10, { lat: 45.761, lng: 4.84 }),
      paris: await report(8, 'FEMALE', 1, { lat: 48.86, lng: 2.35 }),
      tooYoung: await report(5, 'FEMALE', 1, { lat: 45.761, lng: 4.84 }),
    };
  });

  /** "Girls aged 6–9 last seen this week near Lyon". */
  const girls = (): CaseFilter => ({
    search: word,
    gender: 'FEMALE' as Gender,
    ageMin: 6,
    ageMax: 9,
    lastSeenAfter: ago(7),
    near: { ...LYON, radiusKm: 20 },
  });

  it('combines age range, gender, last-seen range and distance with AND, in each order', async () => {
    const page = (await ok(CasesFilteredDocument, { filter: girls(), orderBy: null, first: 20, after: null })).cases;
    expect(page.totalCount).toBe(3);
    expect(page.edges.map((e) => e.node.id)).toEqual([ids.a, ids.b, ids.c]); // NEWEST by default
    expect(
      page.edges.every(
        (e) => e.node.gender === 'FEMALE' && e.node.age >= 6 && e.node.age <= 9 && e.node.status === 'MISSING',
      ),
    ).toBe(true);
    const order = async (orderBy: string) =>
      (
        await ok(CasesFilteredDocument, { filter: girls(), orderBy: orderBy as CaseOrder, first: 20, after: null })
      ).cases.edges.map((e) => e.node.id);
    expect(await order('NEWEST')).toEqual([ids.a, ids.b, ids.c]);
    expect(await order('OLDEST')).toEqual([ids.c, ids.b, ids.a]);
    expect(await order('NEAREST')).toEqual([...[ids.a, ids.c].sort(), ids.b]);

    const only = async (filter: CaseFilter) =>
      (
        await ok(CasesFilteredDocument, {
          filter: { search: word, ...filter },
          orderBy: 'OLDEST' as CaseOrder,
          first: 20,
          after: null,
        })
      ).cases.edges.map((e) => e.node.id);
    expect(await only({ gender: 'MALE' as Gender })).toEqual([ids.boy]);
    expect(await only({ ageMin: 10 })).toEqual([ids.tooOld]);
    expect(await only({ ageMax: 5 })).toEqual([ids.tooYoung]);
    expect(await only({ ageMin: 8, ageMax: 8 })).toEqual([ids.longAgo, ids.paris]);
    expect(await only({ lastSeenBefore: ago(2.5) })).toEqual([ids.longAgo, ids.c]);
    expect(await only({ lastSeenAfter: ago(2.5), lastSeenBefore: ago(1.5) })).toEqual([ids.b]);
    expect(await only({ near: { lat: 48.86, lng: 2.35, radiusKm: 5 }, ageMin: 8 })).toEqual([ids.paris]);
  });

  it('pages with cursors that stay correct under each order, and refuses a cursor of another order or centre', async () => {
    const filter: CaseFilter = { search: word, gender: 'FEMALE' as Gender, near: { ...LYON, radiusKm: 20 } };
    const full = async (orderBy: string) =>
      (
        await ok(CasesFilteredDocument, { filter, orderBy: orderBy as CaseOrder, first: 100, after: null })
      ).cases.edges.map((e) => e.node.id);
    for (const orderBy of ['NEWEST', 'OLDEST', 'NEAREST']) {
      const everything = await full(orderBy);
      expect(everything).toHaveLength(6);
      for (const size of [1, 2, 4]) expect(await allPages(filter, orderBy as CaseOrder, size, 6)).toEqual(everything);
    }
    expect(await full('OLDEST')).toEqual((await full('NEWEST')).reverse());

    const first = (await ok(CasesFilteredDocument, { filter, orderBy: 'NEWEST' as CaseOrder, first: 1, after: null }))
      .cases.pageInfo.endCursor!;
    const near = (await ok(CasesFilteredDocument, { filter, orderBy: 'NEAREST' as CaseOrder, first: 1, after: null }))
      .cases.pageInfo.endCursor!;
    const refusal = async (vars: Partial<CasesFilteredQueryVariables>) =>
      (await gql(CasesFilteredDocument, { filter, orderBy: null, first: 2, after: null, ...vars })).errors?.[0]
        ?.extensions;
    expect(await refusal({ orderBy: 'OLDEST' as CaseOrder, after: first })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
    expect(await refusal({ orderBy: 'NEAREST' as CaseOrder, after: first })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
    expect(await refusal({ orderBy: 'NEWEST' as CaseOrder, after: near })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
    const elsewhere = { ...filter, near: { lat: 45.7, lng: 4.8, radiusKm: 20 } };
    expect(await refusal({ filter: elsewhere, orderBy: 'NEAREST' as CaseOrder, after: near })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
  });

  it('answers bad filters and orders with BAD_USER_INPUT naming the field, never a 500', async () => {
    const refusal = async (filter: object | null, orderBy: string | null = null) => {
      const r = await gql(CasesFilteredDocument, {
        filter: filter as CaseFilter,
        orderBy: orderBy as CaseOrder,
        first: 5,
        after: null,
      });
      expect(r.status).toBeLessThan(500);
      return r.errors?.[0]?.extensions;
    };
    expect(await refusal(null, 'NEAREST')).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orderBy' });
    expect(await refusal({ search: word }, 'NEAREST')).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orderBy' });
    expect(await refusal({ ageMin: -1 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.ageMin' });
    expect(await refusal({ ageMax: 18 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.ageMax' });
    expect(await refusal({ ageMin: 9, ageMax: 6 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.ageMax' });
    expect(await refusal({ lastSeenAfter: ago(1), lastSeenBefore: ago(2) })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.lastSeenBefore',
    });
    expect((await refusal({ lastSeenAfter: 'last tuesday' }))?.code).toBe('BAD_USER_INPUT');
    expect((await refusal({ gender: 'ROBOT' }))?.code).toBe('BAD_USER_INPUT');
    expect((await refusal({ ageMin: 2.5 }))?.code).toBe('BAD_USER_INPUT');
    expect((await refusal(null, 'SIDEWAYS'))?.code).toBe('BAD_USER_INPUT');
  });

  it('answers the same totalCount on every page, an empty one past the end and an empty search included', async () => {
    const pages: number[] = [];
    let after: string | null = null;
    for (;;) {
      const { cases: page }: CasesFilteredQuery = await ok(CasesFilteredDocument, {
        filter: girls(),
        orderBy: null,
        first: 2,
        after,
      });
      pages.push(page.totalCount);
      if (!page.pageInfo.endCursor) break;
      after = page.pageInfo.endCursor;
    }
    // Two full pages, then the empty one after the last cursor, which counts on its own.
    expect(pages).toEqual([3, 3, 3]);
    const none = { ...girls(), search: `${word}-nothing` };
    expect((await ok(CasesFilteredDocument, { filter: none, orderBy: null, first: 5, after: null })).cases).toEqual({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });

  it('costs the same SQL statements for a page of 1 and a page of 50, in every order', async () => {
    const filter: CaseFilter = {
      search: word,
      ageMin: 0,
      ageMax: 17,
      lastSeenAfter: ago(30),
      lastSeenBefore: ago(0),
      near: { ...LYON, radiusKm: 1000 },
    };
    for (const orderBy of ['NEWEST', 'OLDEST', 'NEAREST']) {
      const cost = async (first: number) => {
        const before = await sqlStatements('cases');
        await ok(CasesFilteredDocument, { filter, orderBy: orderBy as CaseOrder, first, after: null });
        return (await sqlStatements('cases')) - before;
      };
      const one = await cost(1);
      expect(await cost(50)).toBe(one);
      expect(one).toBe(1); // the page, its count folded in
    }
  });
});
