import type { EventEnvelope } from '@supergraph/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildProjections } from '../../src/readmodel/read-model.projector';
import { bucketStart, trendRange } from '../../src/trend/trend.buckets';
import { readCaseTrend } from '../../src/trend/trend.reader';
import { envelope, openHarness, type Harness } from '../support/analytics.harness';

const id = (n: number) => `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;

function reported(caseId: string, at: string): EventEnvelope {
  return envelope(
    'case.reported',
    {
      caseId,
      reportId: `MC-${caseId.slice(-2)}`,
      reporterId: '10000000-0000-4000-8000-000000000000',
      childName: 'Child',
      age: 6,
      gender: 'FEMALE',
      lastSeenAt: at,
      lastSeenPlace: 'somewhere',
      location: null,
      locationType: null,
      photoUrl: null,
      status: 'MISSING',
    },
    at,
  );
}

const status = (caseId: string, from: string, to: string, at: string) =>
  envelope(
    'case.status_changed',
    { caseId, reportId: 'MC', reporterId: 'r', from, to, note: null, changedBy: 'r' },
    at,
  );

const sighting = (n: number, caseId: string, at: string) =>
  envelope(
    'sighting.reported',
    {
      sightingId: id(50 + n),
      caseId,
      reportId: 'MC',
      caseReporterId: 'r',
      seenAt: at,
      place: 'a street',
      location: null,
    },
    at,
  );

/** Wed 2025-06-11 to Fri 2025-06-13, worked out by hand below. */
const EVENTS: EventEnvelope[] = [
  reported(id(1), '2025-06-10T00:00:00.000Z'), // first instant of Tuesday
  reported(id(2), '2025-06-10T23:59:59.999Z'), // last instant of Tuesday
  reported(id(3), '2025-06-12T08:00:00.000Z'),
  reported(id(4), '2025-06-12T09:00:00.000Z'),
  reported(id(5), '2025-06-16T09:00:00.000Z'), // Monday: the next ISO week
  status(id(1), 'MISSING', 'FOUND', '2025-06-11T10:00:00.000Z'),
  status(id(1), 'FOUND', 'CLOSED', '2025-06-12T10:00:00.000Z'), // found on Wed, closed on Thu
  status(id(2), 'MISSING', 'CLOSED', '2025-06-11T12:00:00.000Z'),
  status(id(3), 'MISSING', 'FOUND', '2025-06-12T12:00:00.000Z'),
  status(id(3), 'FOUND', 'MISSING', '2025-06-13T12:00:00.000Z'), // reopened: counts as neither found nor closed
  envelope('case.deleted', { caseId: id(4), reportId: 'MC-04', deletedBy: 'admin' }, '2025-06-12T10:00:00.000Z'),
  sighting(1, id(1), '2025-06-11T09:00:00.000Z'),
  sighting(2, id(3), '2025-06-11T23:00:00.000Z'),
  sighting(3, id(3), '2025-06-13T00:00:00.000Z'),
];

describe('case trend buckets (UTC days, ISO weeks)', () => {
  it('starts days at 00:00 UTC and weeks on Monday 00:00 UTC', () => {
    expect(bucketStart('DAY', new Date('2025-06-15T23:59:59.999Z')).toISOString()).toBe('2025-06-15T00:00:00.000Z');
    expect(bucketStart('WEEK', new Date('2025-06-15T23:59:59.999Z')).toISOString()).toBe('2025-06-09T00:00:00.000Z'); // a Sunday
    expect(bucketStart('WEEK', new Date('2025-06-16T00:00:00.000Z')).toISOString()).toBe('2025-06-16T00:00:00.000Z'); // a Monday
    expect(bucketStart('WEEK', new Date('2025-01-01T12:00:00.000Z')).toISOString()).toBe('2024-12-30T00:00:00.000Z'); // across a year
  });

  it('covers the bucket of `from` through the bucket of `to`, both included', () => {
    const day = trendRange('DAY', new Date('2025-06-09T15:00:00Z'), new Date('2025-06-13T01:00:00Z'));
    expect({ first: day.first.toISOString(), count: day.count }).toEqual({
      first: '2025-06-09T00:00:00.000Z',
      count: 5,
    });
    const same = trendRange('WEEK', new Date('2025-06-11T00:00:00Z'), new Date('2025-06-11T00:00:00Z'));
    expect({ first: same.first.toISOString(), count: same.count }).toEqual({
      first: '2025-06-09T00:00:00.000Z',
      count: 1,
    });
  });

  it('allows 366 buckets and refuses 367 or `to` before `from` with BAD_USER_INPUT on `to`', () => {
    expect(trendRange('DAY', new Date('2024-01-01T00:00:00Z'), new Date('2024-12-31T23:59:59Z')).count).toBe(366);
    const refusals = [
      () => trendRange('DAY', new Date('2024-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z')),
      () => trendRange('WEEK', new Date('2020-01-01T00:00:00Z'), new Date('2027-01-20T00:00:00Z')),
      () => trendRange('DAY', new Date('2025-06-02T00:00:00Z'), new Date('2025-06-01T23:59:59Z')),
    ];
    for (const refuse of refusals) {
      expect(refuse).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'to' } }));
    }
  });
});

describe('case trend from the read model (real consumer, PGlite)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
    await h.feed(EVENTS);
  });
  afterAll(() => h?.close());

  const day = (start: string, reported: number, found: number, closed: number, sightings: number) => ({
    start: new Date(start),
    reported,
    found,
    closed,
    sightings,
  });

  it('counts per day, with empty days and deleted cases left out', async () => {
    const trend = await readCaseTrend(
      h.em(),
      'DAY',
      trendRange('DAY', new Date('2025-06-09T15:00:00Z'), new Date('2025-06-14T01:00:00Z')),
    );
    expect(trend).toEqual([
      day('2025-06-09T00:00:00.000Z', 0, 0, 0, 0),
      day('2025-06-10T00:00:00.000Z', 2, 0, 0, 0),
      day('2025-06-11T00:00:00.000Z', 0, 1, 1, 2),
      day('2025-06-12T00:00:00.000Z', 1, 0, 1, 0),
      day('2025-06-13T00:00:00.000Z', 0, 0, 0, 1),
      day('2025-06-14T00:00:00.000Z', 0, 0, 0, 0),
    ]);
  });

  it('counts per ISO week, the same after a rebuild of the read model', async () => {
    const range = trendRange('WEEK', new Date('2025-06-01T00:00:00Z'), new Date('2025-06-22T00:00:00Z'));
    const expected = [
      day('2025-05-26T00:00:00.000Z', 0, 0, 0, 0),
      day('2025-06-02T00:00:00.000Z', 0, 0, 0, 0),
      day('2025-06-09T00:00:00.000Z', 3, 1, 2, 3),
      day('2025-06-16T00:00:00.000Z', 1, 0, 0, 0),
    ];
    expect(await readCaseTrend(h.em(), 'WEEK', range)).toEqual(expected);
    await h.em().transactional((tx) => rebuildProjections(tx));
    expect(await readCaseTrend(h.em(), 'WEEK', range)).toEqual(expected);
  });
});
