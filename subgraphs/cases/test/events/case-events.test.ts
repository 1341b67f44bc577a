import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEVELOPMENT_SIGNING_SECRET,
  envelopeOf,
  IDENTITY_HEADER,
  signIdentity,
  type EventEnvelope,
  type EventSubscription,
  type Identity,
  type RunningService,
} from '@supergraph/kit';
import { loadConfig } from '../../src/config';
import { DEMO_CASES } from '../../src/seed/demo-cases.data';
import { start } from '../../src/server';

/** Polls `read` until `done` holds (at most ~10 s), returning the last value. */
async function eventually<T>(read: () => Promise<T> | T, done: (v: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 100 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

describe('cases subgraph events (outbox → bus) and the user-event consumer', () => {
  let service: RunningService;
  let subscription: EventSubscription;
  const seen: EventEnvelope[] = [];

  /** A GraphQL request signed as the router would sign it. */
  async function call<T>(
    query: string,
    variables: object,
    identity: Identity = {},
  ): Promise<{ data?: T; errors?: { extensions: { code: string } }[] }> {
    const res = await fetch(service.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [IDENTITY_HEADER]: await signIdentity(identity, randomUUID(), DEVELOPMENT_SIGNING_SECRET),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as never;
  }

  beforeAll(async () => {
    service = await start(
      loadConfig({ DATA_DIR: ':memory:', PORT: '0', LOG_LEVEL: 'warn', SEED: 'true', NODE_ENV: 'test' }),
    );
    subscription = await service.deps.bus.subscribe('cases-event-test', async (e) => void seen.push(e), {
      types: ['case.reported', 'case.updated', 'case.status_changed', 'sighting.reported'],
    });
  });
  afterAll(async () => {
    await subscription?.close();
    await service?.stop();
  });

  it('emits case.reported, sighting.reported, case.updated and case.status_changed with their payloads', async () => {
    const reporter = { userId: randomUUID(), role: 'USER' as const };
    const reported = await call<{ reportCase: { id: string; reportId: string } }>(
      `mutation ($input: ReportCaseInput!) { reportCase(input: $input) { id reportId } }`,
      {
        input: {
          childName: 'Event Child',
          age: 5,
          gender: 'MALE',
          lastSeenAt: new Date(Date.now() - 60_000).toISOString(),
          lastSeenPlace: 'Zurich, Switzerland',
          locationType: 'PARK',
          contactPhone: '+41 79 123 45 67',
        },
      },
      reporter,
    );
    expect(reported.errors).toBeUndefined();
    const { id, reportId } = reported.data!.reportCase;
    await call(`mutation ($input: ReportSightingInput!) { reportSighting(input: $input) { id } }`, {
      input: { caseId: id, seenAt: new Date().toISOString(), place: 'Lausanne, Switzerland' },
    });
    await call(`mutation ($id: ID!) { updateCase(id: $id, input: { age: 6 }) { id } }`, { id }, reporter);
    await call(`mutation ($id: ID!) { setCaseStatus(id: $id, status: FOUND, note: "safe") { id } }`, { id }, reporter);

    const mine = () => seen.filter((e) => (e.payload as { caseId?: string }).caseId === id);
    const events = await eventually(mine, (list) => list.length >= 4);
    expect(events.map((e) => e.type)).toEqual([
      'case.reported',
      'sighting.reported',
      'case.updated',
      'case.status_changed',
    ]);
    expect(events.every((e) => e.producer === 'cases' && e.version === 1)).toBe(true);
    expect(events[0]!.payload).toMatchObject({
      caseId: id,
      reportId,
      reporterId: reporter.userId,
      childName: 'Event Child',
      age: 5,
      gender: 'MALE',
      locationType: 'PARK',
      status: 'MISSING',
      photoUrl: null,
    });
    expect((events[0]!.payload as { location: { lat: number } }).location.lat).toBeCloseTo(47.37, 1);
    expect(events[1]!.payload).toMatchObject({
      caseId: id,
      reportId,
      caseReporterId: reporter.userId,
      place: 'Lausanne, Switzerland',
    });
    expect(events[2]!.payload).toEqual({ caseId: id, changes: ['age'] });
    expect(events[3]!.payload).toEqual({
      caseId: id,
      reportId,
      reporterId: reporter.userId,
      from: 'MISSING',
      to: 'FOUND',
      note: 'safe',
      changedBy: reporter.userId,
    });
  });

  it('seeds the demo cases once, for the first ADMIN it hears of, and ignores redelivered events', async () => {
    const count = async () =>
      (await call<{ caseStats: { total: number } }>('{ caseStats { total } }', {})).data!.caseStats.total;
    const before = await count();
    const user = (type: 'user.registered' | 'user.updated', userId: string, email: string, role = 'USER') =>
      type === 'user.updated'
        ? envelopeOf(type, { userId, email, displayName: 'Someone', phone: null, role })
        : envelopeOf(type, { userId, email, displayName: 'Someone' });

    await service.deps.bus.publish(user('user.registered', randomUUID(), 'plain@example.org'));
    const adminId = randomUUID();
    const promoted = user('user.updated', adminId, 'boss@example.org', 'ADMIN');
    await service.deps.bus.publish(promoted);
    const after = await eventually(count, (n) => n > before);
    expect(after - before).toBe(DEMO_CASES.length);

    await service.deps.bus.publish(promoted); // redelivery
    await service.deps.bus.publish(user('user.updated', randomUUID(), 'ana@example.com', 'USER'));
    await new Promise((r) => setTimeout(r, 500));
    expect(await count()).toBe(after);

    const reported = await call<{ _entities: { reportedCases: { status: string }[] }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { reportedCases(first: 100) { status } } } }`,
      { r: [{ __typename: 'User', id: adminId }] },
    );
    const statuses = reported.data!._entities[0]!.reportedCases.map((c) => c.status);
    expect(statuses).toHaveLength(DEMO_CASES.length);
    expect(new Set(statuses)).toEqual(new Set(['MISSING', 'FOUND', 'CLOSED']));
  });
});
