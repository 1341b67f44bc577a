import type { EventEnvelope } from '@supergraph/kit';
import { envelope } from './analytics.harness';

/**
 * A small world whose figures were worked out by hand (see analytics.figures.test.ts).
 * Reference time: Sunday 2025-06-15 12:00 UTC.
 */
export const NOW = new Date('2025-06-15T12:00:00.000Z');

/** Case ids (uuids, as the cases subgraph issues them). */
export const C = {
  c1: '00000000-0000-4000-8000-000000000001',
  c2: '00000000-0000-4000-8000-000000000002',
  c3: '00000000-0000-4000-8000-000000000003',
  c4: '00000000-0000-4000-8000-000000000004',
  c5: '00000000-0000-4000-8000-000000000005',
  c6: '00000000-0000-4000-8000-000000000006',
  c7: '00000000-0000-4000-8000-000000000007',
  c8: '00000000-0000-4000-8000-000000000008',
};

interface CaseSpec {
  id: string;
  age: number;
  gender: string;
  location: { lat: number; lng: number } | null;
  locationType: string | null;
  lastSeenAt: string;
  reportedAt: string;
}

function reported(c: CaseSpec): EventEnvelope {
  return envelope(
    'case.reported',
    {
      caseId: c.id,
      reportId: `MC-${c.id.slice(-4)}`,
      reporterId: '10000000-0000-4000-8000-000000000000',
      childName: 'Child',
      age: c.age,
      gender: c.gender,
      lastSeenAt: c.lastSeenAt,
      lastSeenPlace: 'somewhere',
      location: c.location,
      locationType: c.locationType,
      photoUrl: null,
      status: 'MISSING',
    },
    c.reportedAt,
  );
}

function status(caseId: string, from: string, to: string, at: string): EventEnvelope {
  return envelope(
    'case.status_changed',
    { caseId, reportId: 'MC', reporterId: 'r', from, to, note: null, changedBy: 'r' },
    at,
  );
}

function delivery(
  notificationId: string,
  channel: string,
  ok: boolean,
  attempts: number,
  category: string,
  at: string,
): EventEnvelope {
  const payload = {
    notificationId,
    recipientId: 'u',
    channel,
    category,
    attempts,
    ...(ok ? {} : { error: 'provider said no' }),
  };
  return envelope(ok ? 'notification.delivered' : 'notification.failed', payload, at);
}

/** Every event of the fixture, in the order they happened; the same envelopes (ids included) on every call. */
export function fixtureEvents(): EventEnvelope[] {
  return [...EVENTS];
}

function buildEvents(): EventEnvelope[] {
  const cases: EventEnvelope[] = [
    // Paris cluster, all still missing: one zone.
    reported({
      id: C.c3,
      age: 12,
      gender: 'FEMALE',
      location: { lat: 48.8566, lng: 2.36 },
      locationType: 'park',
      lastSeenAt: '2025-06-13T15:00:00Z',
      reportedAt: '2025-06-13T16:00:00Z',
    }),
    reported({
      id: C.c2,
      age: 7,
      gender: 'MALE',
      location: { lat: 48.86, lng: 2.3522 },
      locationType: 'school',
      lastSeenAt: '2025-06-14T18:00:00Z',
      reportedAt: '2025-06-14T19:00:00Z',
    }),
    reported({
      id: C.c1,
      age: 4,
      gender: 'female',
      location: { lat: 48.8566, lng: 2.3522 },
      locationType: ' park ',
      lastSeenAt: '2025-06-15T09:00:00Z',
      reportedAt: '2025-06-15T10:00:00Z',
    }),
    // Lyon, missing for a month: a zone of its own.
    reported({
      id: C.c4,
      age: 16,
      gender: 'OTHER',
      location: { lat: 45.764, lng: 4.8357 },
      locationType: null,
      lastSeenAt: '2025-05-16T12:00:00Z',
      reportedAt: '2025-05-16T13:00:00Z',
    }),
    // Found after 6 hours.
    reported({
      id: C.c5,
      age: 5,
      gender: 'MALE',
      location: { lat: 43.2965, lng: 5.3698 },
      locationType: 'mall',
      lastSeenAt: '2025-06-01T07:00:00Z',
      reportedAt: '2025-06-01T08:00:00Z',
    }),
    status(C.c5, 'MISSING', 'FOUND', '2025-06-01T14:00:00Z'),
    // Found after 24 hours, closed later: still a recovery.
    reported({
      id: C.c6,
      age: 3,
      gender: 'FEMALE',
      location: null,
      locationType: 'school',
      lastSeenAt: '2025-06-01T22:00:00Z',
      reportedAt: '2025-06-02T00:00:00Z',
    }),
    status(C.c6, 'MISSING', 'FOUND', '2025-06-03T00:00:00Z'),
    status(C.c6, 'FOUND', 'CLOSED', '2025-06-04T00:00:00Z'),
    // Withdrawn: in no recovery rate.
    reported({
      id: C.c7,
      age: 13,
      gender: 'UNKNOWN',
      location: { lat: 50.6292, lng: 3.0573 },
      locationType: 'street',
      lastSeenAt: '2025-06-05T09:00:00Z',
      reportedAt: '2025-06-05T10:00:00Z',
    }),
    status(C.c7, 'MISSING', 'CLOSED', '2025-06-06T00:00:00Z'),
    // Found after 10 hours.
    reported({
      id: C.c8,
      age: 15,
      gender: 'MALE',
      location: { lat: 44.8378, lng: -0.5792 },
      locationType: null,
      lastSeenAt: '2025-06-09T23:00:00Z',
      reportedAt: '2025-06-10T00:00:00Z',
    }),
    status(C.c8, 'MISSING', 'FOUND', '2025-06-10T10:00:00Z'),
    envelope('case.updated', { caseId: C.c1, changes: ['description'] }, '2025-06-15T10:30:00Z'),
  ];

  const sightings: EventEnvelope[] = [
    envelope(
      'sighting.reported',
      {
        sightingId: 'sg-1',
        caseId: C.c1,
        reportId: 'MC',
        caseReporterId: 'r',
        seenAt: '2025-06-15T10:45:00Z',
        place: 'bridge',
        location: null,
      },
      '2025-06-15T11:00:00Z',
    ),
    envelope(
      'sighting.reported',
      {
        sightingId: 'sg-2',
        caseId: C.c4,
        reportId: 'MC',
        caseReporterId: 'r',
        seenAt: '2025-06-14T09:00:00Z',
        place: 'station',
        location: { lat: 45.76, lng: 4.83 },
      },
      '2025-06-14T10:00:00Z',
    ),
  ];

  const notifications: EventEnvelope[] = [
    // nA: e-mail failed once then went through; push delivered; opened and acted on.
    delivery('nA', 'EMAIL', false, 1, 'CASE_ALERT', '2025-06-15T10:01:00Z'),
    delivery('nA', 'email', true, 2, 'CASE_ALERT', '2025-06-15T10:03:00Z'),
    delivery('nA', 'PUSH', true, 1, 'CASE_ALERT', '2025-06-15T10:01:00Z'),
    envelope(
      'notification.opened',
      { notificationId: 'nA', recipientId: 'u', category: 'CASE_ALERT' },
      '2025-06-15T10:10:00Z',
    ),
    envelope(
      'notification.acted',
      { notificationId: 'nA', recipientId: 'u', category: 'CASE_ALERT' },
      '2025-06-15T10:11:00Z',
    ),
    // nB: e-mail delivered and opened.
    delivery('nB', 'EMAIL', true, 1, 'CASE_ALERT', '2025-06-14T19:01:00Z'),
    envelope(
      'notification.opened',
      { notificationId: 'nB', recipientId: 'u', category: 'CASE_ALERT' },
      '2025-06-14T20:00:00Z',
    ),
    // nC: a plant reminder whose push failed for good.
    delivery('nC', 'PUSH', false, 3, 'PLANT_REMINDER', '2025-06-14T08:00:00Z'),
  ];
  // 20 SMS test messages, 6 of which failed: 30% failures.
  for (let i = 1; i <= 20; i++)
    notifications.push(delivery(`s${i}`, 'SMS', i <= 14, 1, 'TEST', `2025-06-12T10:${String(i).padStart(2, '0')}:00Z`));

  const plants: EventEnvelope[] = [
    envelope('plant.added', { plantId: 'p1', ownerId: 'o', speciesId: 'sp' }, '2025-06-01T09:00:00Z'),
    envelope(
      'plant.watered',
      { plantId: 'p1', ownerId: 'o', wateredAt: '2025-06-09T09:00:00Z', dueAt: '2025-06-10T08:00:00Z' },
      '2025-06-09T09:00:00Z',
    ),
    envelope(
      'plant.watering_due',
      { plantId: 'p1', ownerId: 'o', nickname: 'Fern', dueAt: '2025-06-14T08:00:00Z' },
      '2025-06-14T08:00:00Z',
    ),
    envelope('plant.added', { plantId: 'p2', ownerId: 'o', speciesId: 'sp' }, '2025-06-01T09:00:00Z'),
    envelope(
      'plant.watering_due',
      { plantId: 'p2', ownerId: 'o', nickname: 'Cactus', dueAt: '2025-06-11T08:00:00Z' },
      '2025-06-11T08:00:00Z',
    ),
    envelope(
      'plant.watered',
      { plantId: 'p2', ownerId: 'o', wateredAt: '2025-06-12T09:00:00Z', dueAt: '2025-06-11T08:00:00Z' },
      '2025-06-12T09:00:00Z',
    ),
    envelope('plant.added', { plantId: 'p3', ownerId: 'o', speciesId: 'sp' }, '2025-06-02T09:00:00Z'),
    envelope(
      'plant.watered',
      { plantId: 'p3', ownerId: 'o', wateredAt: '2025-06-03T09:00:00Z', dueAt: null },
      '2025-06-03T09:00:00Z',
    ),
    envelope('plant.removed', { plantId: 'p3', ownerId: 'o' }, '2025-06-05T09:00:00Z'),
  ];

  return [...cases, ...sightings, ...notifications, ...plants].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}

const EVENTS: readonly EventEnvelope[] = Object.freeze(buildEvents());
