import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  Channel,
  envelopeOf,
  OutboxEvent,
  ProcessedEvent,
  type EventEnvelope,
  type EventPayloads,
  type EventType,
  type RunningService,
} from '@supergraph/kit';
import { loadConfig } from '../../src/config';
import { start } from '../../src/server';
import { Alert } from '../../src/entities/alert.entity';
import { Broadcast } from '../../src/entities/broadcast.entity';
import { Delivery } from '../../src/entities/delivery.entity';
import { DeliveryStatus, NotificationCategory } from '../../src/entities/enums';
import { Notification } from '../../src/entities/notification.entity';
import { Recipient } from '../../src/entities/recipient.entity';
import { closedPort, startPeer, type ProviderPeer } from '../channels/provider.peer';

/** Polls `probe` until it returns a truthy value (at most `ms`). */
async function until<T>(probe: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function envelope<T extends EventType>(type: T, payload: EventPayloads[T], id = randomUUID()): EventEnvelope<T> {
  return envelopeOf(type, payload, { id, correlationId: id });
}

describe('notifications service (real database, local provider servers)', () => {
  let service: RunningService;
  let telegram: ProviderPeer;
  const chatRequests = new Map<string, number>();
  const em = () => service.deps.db.orm.em.fork() as EntityManager;
  const publish = <T extends EventType>(e: EventEnvelope<T>) => service.deps.bus.publish(e as EventEnvelope);

  /** A known recipient with the given channels and addresses. */
  async function recipient(changes: Partial<Recipient> = {}): Promise<string> {
    const userId = randomUUID();
    await publish(
      envelope('user.updated', {
        userId,
        email: `${userId}@example.com`,
        displayName: 'Tess',
        phone: '+41791234567',
        role: 'USER',
      }),
    );
    const row = await until(() => em().findOne(Recipient, { userId }));
    Object.assign(row, changes);
    await em().upsert(Recipient, row);
    return userId;
  }

  async function deliveriesOf(recipientId: string, category: NotificationCategory): Promise<Delivery[]> {
    return em().find(Delivery, { notification: { recipientId, category } }, { orderBy: { channel: 'asc' } });
  }

  beforeAll(async () => {
    telegram = await startPeer((req) => {
      const chat = String((JSON.parse(req.body.toString()) as { chat_id: string }).chat_id);
      const n = (chatRequests.get(chat) ?? 0) + 1;
      chatRequests.set(chat, n);
      // Chat 500500 is flaky: two server errors, then it works.
      return chat === '500500' && n <= 2
        ? { status: 500, json: { ok: false, error_code: 500, description: 'Internal Server Error' } }
        : { status: 200, json: { ok: true, result: {} } };
    });
    service = await start(
      loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATA_DIR: ':memory:',
        PORT: '0',
        SEED: 'false',
        TELEGRAM_BOT_TOKEN: '123:test',
        TELEGRAM_API_BASE_URL: telegram.baseUrl,
        TWILIO_ACCOUNT_SID: 'AC123',
        TWILIO_AUTH_TOKEN: 'secret',
        TWILIO_FROM: '+15005550006',
        TWILIO_API_BASE_URL: `http://127.0.0.1:${await closedPort()}`,
        DELIVERY_MAX_ATTEMPTS: '3',
        DELIVERY_BASE_DELAY_MS: '5',
        DELIVERY_MAX_DELAY_MS: '10',
        NOTIFICATIONS_POLL_MS: '100',
      }),
    );
  });

  afterAll(async () => {
    await service?.stop();
    await telegram?.close();
  });

  it('retries a provider answering 500 twice and records SENT after 3 attempts, with notification.delivered', async () => {
    const userId = await recipient({ channels: [Channel.TELEGRAM], telegramChatId: '500500' });
    await publish(
      envelope('plant.watering_due', {
        plantId: randomUUID(),
        ownerId: userId,
        nickname: 'Monstera',
        dueAt: new Date().toISOString(),
      }),
    );
    const [d] = await until(async () => {
      const rows = await deliveriesOf(userId, NotificationCategory.REMINDER);
      return rows[0]?.status === DeliveryStatus.SENT && rows;
    });
    expect(d).toMatchObject({
      channel: Channel.TELEGRAM,
      status: DeliveryStatus.SENT,
      attempts: 3,
      lastError: null,
    });
    expect(d!.sentAt).toBeInstanceOf(Date);
    expect(chatRequests.get('500500')).toBe(3);
    const events = await until(async () => {
      const rows = await em().find(OutboxEvent, { type: 'notification.delivered' });
      return rows.filter((e) => e.payload.recipientId === userId).length === 1 && rows;
    });
    expect(events.find((e) => e.payload.recipientId === userId)!.payload).toMatchObject({
      channel: 'telegram',
      attempts: 3,
      category: 'REMINDER',
    });
  });

  it('keeps a delivery to a provider that is down FAILED with lastError after the attempt limit, with notification.failed', async () => {
    const userId = await recipient({ channels: [Channel.SMS] });
    await publish(
      envelope('plant.watering_due', {
        plantId: randomUUID(),
        ownerId: userId,
        nickname: 'Fern',
        dueAt: new Date().toISOString(),
      }),
    );
    const [d] = await until(async () => {
      const rows = await deliveriesOf(userId, NotificationCategory.REMINDER);
      return rows[0]?.status === DeliveryStatus.FAILED && rows;
    });
    expect(d).toMatchObject({ channel: Channel.SMS, attempts: 3 });
    expect(d!.lastError).toMatch(/unreachable: ECONNREFUSED/);
    const failed = await until(async () =>
      (await em().find(OutboxEvent, { type: 'notification.failed' })).find((e) => e.payload.recipientId === userId),
    );
    expect(failed.payload).toMatchObject({ channel: 'sms', attempts: 3 });
  });

  it('records an unconfigured channel as SKIPPED with the reason, and IN_APP as SENT', async () => {
    const userId = await recipient({ channels: [Channel.IN_APP, Channel.EMAIL] });
    await publish(
      envelope('plant.watering_due', {
        plantId: randomUUID(),
        ownerId: userId,
        nickname: 'Cactus',
        dueAt: new Date().toISOString(),
      }),
    );
    const rows = await until(async () => {
      const r = await deliveriesOf(userId, NotificationCategory.REMINDER);
      return r.length === 2 && r.every((d) => d.status !== DeliveryStatus.PENDING) && r;
    });
    expect(rows.map((d) => [d.channel, d.status, d.attempts])).toEqual([
      [Channel.EMAIL, DeliveryStatus.SKIPPED, 0],
      [Channel.IN_APP, DeliveryStatus.SENT, 1],
    ]);
    expect(rows[0]!.lastError).toMatch(/not configured/);
  });

  it('alerts users within their radius of a reported case once, even when the event arrives twice; a user 50 km away gets nothing', async () => {
    const near = await recipient({
      channels: [Channel.IN_APP],
      homeLat: 48.8566,
      homeLng: 2.3522,
      alertRadiusKm: 5,
    });
    const far = await recipient({
      channels: [Channel.IN_APP],
      homeLat: 48.8566 + 0.45,
      homeLng: 2.3522,
      alertRadiusKm: 5,
    });
    const caseId = randomUUID();
    const reported = envelope('case.reported', {
      caseId,
      reportId: 'MC-TEST-1',
      reporterId: randomUUID(),
      childName: 'Léa',
      age: 7,
      gender: 'FEMALE',
      lastSeenAt: new Date().toISOString(),
      lastSeenPlace: 'Jardin du Luxembourg',
      location: { lat: 48.8566 + 0.009, lng: 2.3522 },
      locationType: null,
      photoUrl: null,
      status: 'MISSING',
    });
    await publish(reported);
    await publish(reported);
    const [n] = await until(async () => {
      const rows = await em().find(Notification, { recipientId: near, caseId });
      return rows.length > 0 && rows;
    });
    expect(n).toMatchObject({ category: NotificationCategory.ALERT, title: 'Missing child near you: Léa, 7' });
    expect((n!.data as { distanceKm: number }).distanceKm).toBeCloseTo(1, 0);
    await until(async () =>
      (await deliveriesOf(near, NotificationCategory.ALERT)).every((d) => d.status === DeliveryStatus.SENT),
    );
    // A third copy after the first two were applied still changes nothing.
    await publish(reported);
    await until(async () => (await em().count(Alert, { caseId })) === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await em().count(Notification, { recipientId: near, caseId })).toBe(1);
    expect(await em().count(Notification, { recipientId: far })).toBe(0);
  });

  it('reads alerts in a lane of their own: an alert does not wait behind a backlog of 1,000 sightings', async () => {
    // The backlog's notifications go to one reporter who chose no channels: the lanes are under
    // test, not 1,000 deliveries (which would keep the delivery worker busy for the later tests).
    const reporter = await recipient({ channels: [] });
    const sightings = Array.from({ length: 1_000 }, (_, i) =>
      envelope('sighting.reported', {
        sightingId: randomUUID(),
        caseId: randomUUID(),
        reportId: `MC-BACKLOG-${i}`,
        caseReporterId: reporter,
        seenAt: new Date().toISOString(),
        place: 'Somewhere',
        location: null,
      }),
    );
    for (const e of sightings) await publish(e);
    const caseId = randomUUID();
    await publish(
      envelope('case.reported', {
        caseId,
        reportId: 'MC-LANE-1',
        reporterId: randomUUID(),
        childName: 'Noé',
        age: 5,
        gender: 'MALE',
        lastSeenAt: new Date().toISOString(),
        lastSeenPlace: 'Gare de Lyon',
        location: { lat: 48.8443, lng: 2.3744 },
        locationType: null,
        photoUrl: null,
        status: 'MISSING',
      }),
    );
    await until(async () => (await em().count(Alert, { caseId })) === 1);
    const sightingsDone = await em().count(ProcessedEvent, { eventId: { $in: sightings.map((e) => e.id) } });
    expect(sightingsDone).toBeLessThan(sightings.length); // in one lane, the alert would have come after all of them
    // Each sighting's notification is written in the transaction that marks it processed: a cheap
    // count to poll (a poll with 1,000 ids would compete with the consumer for the database).
    await until(async () => (await em().count(Notification, { recipientId: reporter })) === sightings.length, 60_000);
    expect(await em().count(ProcessedEvent, { eventId: { $in: sightings.map((e) => e.id) } })).toBe(sightings.length);
    expect(await em().count(Delivery, { notification: { recipientId: reporter } })).toBe(0);
  });

  it('holds non-ALERT deliveries until quiet hours end, except the in-app inbox; ALERTs go at once', async () => {
    const now = new Date();
    const hh = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    const userId = await recipient({
      channels: [Channel.IN_APP, Channel.TELEGRAM],
      telegramChatId: '777',
      quietStart: hh(new Date(now.getTime() - 3_600_000)),
      quietEnd: hh(new Date(now.getTime() + 3_600_000)),
      quietTimezone: 'UTC',
      homeLat: 10,
      homeLng: 10,
    });
    await publish(
      envelope('plant.watering_due', {
        plantId: randomUUID(),
        ownerId: userId,
        nickname: 'Basil',
        dueAt: now.toISOString(),
      }),
    );
    const rows = await until(async () => {
      const r = await deliveriesOf(userId, NotificationCategory.REMINDER);
      return r.length === 2 && r.find((d) => d.channel === Channel.IN_APP)?.status === DeliveryStatus.SENT && r;
    });
    const held = rows.find((d) => d.channel === Channel.TELEGRAM)!;
    expect(held.status).toBe(DeliveryStatus.PENDING);
    expect(held.notBefore.getTime()).toBeGreaterThan(now.getTime() + 55 * 60_000);
    await publish(
      envelope('sighting.reported', {
        sightingId: randomUUID(),
        caseId: randomUUID(),
        reportId: 'MC-TEST-2',
        caseReporterId: userId,
        seenAt: now.toISOString(),
        place: 'Gare du Nord',
        location: null,
      }),
    );
    const alert = await until(async () => {
      const r = await deliveriesOf(userId, NotificationCategory.ALERT);
      return r.length === 2 && r.every((d) => d.status === DeliveryStatus.SENT) && r;
    });
    expect(alert.map((d) => d.channel)).toEqual([Channel.IN_APP, Channel.TELEGRAM]);
  });

  it('fans a due broadcast out once, only to users whose home is inside its circle', async () => {
    const inside = await recipient({ channels: [Channel.IN_APP], homeLat: -33.86, homeLng: 151.2 });
    const outside = await recipient({ channels: [Channel.IN_APP], homeLat: -37.81, homeLng: 144.96 });
    const b = em().create(Broadcast, {
      createdBy: randomUUID(),
      title: 'Storm warning',
      body: 'Stay inside.',
      category: NotificationCategory.SYSTEM,
      nearLat: -33.87,
      nearLng: 151.21,
      nearRadiusKm: 20,
      scheduledAt: new Date(Date.now() - 1000),
    });
    await em().persistAndFlush(b);
    const sent = await until(async () => {
      const row = await em().findOne(Broadcast, { id: b.id });
      return row?.status === 'SENT' && row;
    });
    expect(sent.recipientCount).toBe(1);
    expect(await em().count(Notification, { broadcastId: b.id, recipientId: inside })).toBe(1);
    expect(await em().count(Notification, { broadcastId: b.id, recipientId: outside })).toBe(0);
  });
});
