import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEVELOPMENT_SIGNING_SECRET,
  envelopeOf,
  IDENTITY_HEADER,
  signIdentity,
  type EventEnvelope,
  type EventPayloads,
  type EventType,
  type RunningService,
} from '@supergraph/kit';
import { loadConfig } from '../../src/config';
import { start } from '../../src/server';

function envelope<T extends EventType>(type: T, payload: EventPayloads[T]): EventEnvelope {
  return envelopeOf(type, payload);
}

async function until<T>(probe: () => T | null | undefined | false, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('live subscriptions on the subgraph (graphql-ws, router-signed connections)', () => {
  let service: RunningService;
  const clients: Client[] = [];

  /** A client connected the way the router connects: identity signed into the connection params. */
  async function connect(userId?: string): Promise<Client> {
    const token = await signIdentity(userId ? { userId, role: 'USER' } : {}, randomUUID(), DEVELOPMENT_SIGNING_SECRET);
    const client = createClient({
      url: service.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { [IDENTITY_HEADER]: token },
    });
    clients.push(client);
    return client;
  }

  function listen<T>(client: Client, query: string, variables?: Record<string, unknown>) {
    const events: T[] = [];
    const errors: { extensions?: { code?: string } }[] = [];
    client.subscribe<T>(
      { query, variables },
      {
        next: (r) => (r.errors ? errors.push(...(r.errors as never[])) : events.push(r.data as T)),
        error: (e) => void errors.push(e as never),
        complete: () => undefined,
      },
    );
    return { events, errors };
  }

  beforeAll(async () => {
    service = await start(
      loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATA_DIR: ':memory:',
        PORT: '0',
        SEED: 'false',
        NOTIFICATIONS_POLL_MS: '100',
      }),
    );
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await service?.stop();
  });

  it("streams only the subscriber's own new notifications, and refuses anonymous subscribers", async () => {
    const me = randomUUID();
    const someoneElse = randomUUID();
    const feed = listen<{ notificationReceived: { id: string; title: string; category: string } }>(
      await connect(me),
      'subscription { notificationReceived { id title category } }',
    );
    const anonymous = listen(await connect(), 'subscription { notificationReceived { id } }');
    expect((await until(() => anonymous.errors[0])).extensions?.code).toBe('UNAUTHENTICATED');
    // Give the subscription a moment to go live, then produce one notification for each user.
    await new Promise((r) => setTimeout(r, 200));
    await service.deps.bus.publish(
      envelope('plant.watering_due', {
        plantId: randomUUID(),
        ownerId: someoneElse,
        nickname: 'Ivy',
        dueAt: new Date().toISOString(),
      }),
    );
    await service.deps.bus.publish(
      envelope('plant.watering_due', {
        plantId: randomUUID(),
        ownerId: me,
        nickname: 'Monstera',
        dueAt: new Date().toISOString(),
      }),
    );
    const got = await until(() => feed.events[0]);
    expect(got.notificationReceived).toMatchObject({ title: 'Time to water Monstera', category: 'REMINDER' });
    await new Promise((r) => setTimeout(r, 300));
    expect(feed.events).toHaveLength(1);
  });

  it('streams alerts inside the `near` circle only, with the case key', async () => {
    const near = listen<{ alertRaised: { message: string; case: { id: string } } }>(
      await connect(),
      'subscription($near: GeoCircleInput) { alertRaised(near: $near) { id message raisedAt case { id } } }',
      { near: { lat: 45.76, lng: 4.83, radiusKm: 10 } },
    );
    const bad = listen(await connect(), 'subscription { alertRaised(near: { lat: 0, lng: 0, radiusKm: 0 }) { id } }');
    expect((await until(() => bad.errors[0])).extensions?.code).toBe('BAD_USER_INPUT');
    await new Promise((r) => setTimeout(r, 200));
    const report = (caseId: string, lat: number) =>
      service.deps.bus.publish(
        envelope('case.reported', {
          caseId,
          reportId: `MC-${caseId.slice(0, 4)}`,
          reporterId: randomUUID(),
          childName: 'Tom',
          age: 6,
          gender: 'MALE',
          lastSeenAt: new Date().toISOString(),
          lastSeenPlace: 'Place Bellecour',
          location: { lat, lng: 4.83 },
          locationType: null,
          photoUrl: null,
          status: 'MISSING',
        }),
      );
    const farCase = randomUUID();
    const nearCase = randomUUID();
    await report(farCase, 46.5);
    await report(nearCase, 45.765);
    const got = await until(() => near.events[0]);
    expect(got.alertRaised.case.id).toBe(nearCase);
    expect(got.alertRaised.message).toMatch(/^Missing: Tom, 6, last seen .* at Place Bellecour\.$/);
    await new Promise((r) => setTimeout(r, 300));
    expect(near.events).toHaveLength(1);
  });
});
