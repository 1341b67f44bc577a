import { createClient, type Client } from 'graphql-ws';
import { parse, print } from 'graphql';
import WebSocket from 'ws';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { IDENTITY_HEADER, signIdentity } from '@supergraph/kit';
import {
  AlertRaisedDocument,
  DismissNotificationDocument,
  MarkNotificationActedDocument,
  MarkNotificationOpenedDocument,
  MyNotificationsDocument,
  NotificationPreferencesDocument,
  NotificationReceivedDocument,
  SendTestNotificationDocument,
  UpdateNotificationPreferencesDocument,
  type MyNotificationsQuery,
} from '../../operations/generated/graphql';
import { codes, gql, ok, sqlStatements } from '../support/client';
import { adminToken, reportCase, signUp } from './cases.fixtures';

type Node = NonNullable<NonNullable<MyNotificationsQuery['me']>['notifications']>['edges'][number]['node'];

/** Polls `probe` until it returns a truthy value, at most `ms`. */
async function until<T>(probe: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function inbox(token: string): Promise<{ unread: number; nodes: Node[] }> {
  const me = (await ok(MyNotificationsDocument, { first: 50, after: null, unreadOnly: null }, { token })).me!;
  return { unread: me.unreadNotificationCount!, nodes: me.notifications!.edges.map((e) => e.node) };
}

/** A random point far from other tests' cases (which are in Europe), so only this run's cases are near. */
function somewhere(): { lat: number; lng: number } {
  return { lat: -25 + Math.random() * 10, lng: 20 + Math.random() * 10 };
}
const north = (p: { lat: number; lng: number }, km: number) => ({ lat: p.lat + km / 111.195, lng: p.lng });

async function livingAt(home: { lat: number; lng: number }, tag: string) {
  const u = await signUp(tag);
  await ok(
    UpdateNotificationPreferencesDocument,
    { input: { homeLocation: home, alertRadiusKm: 5, channels: ['IN_APP', 'EMAIL'] } },
    { token: u.token },
  );
  return u;
}

const wsUrl = () => inject('routerUrl').replace(/^http/, 'ws');
const clients: Client[] = [];
function connect(token?: string): Client {
  const client = createClient({
    url: wsUrl(),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : undefined,
  });
  clients.push(client);
  return client;
}

/** Subscribes and collects events and errors. */
function listen<T>(client: Client, query: string, variables?: Record<string, unknown>) {
  const events: T[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (r) => (r.errors ? errors.push(...r.errors) : events.push(r.data as T)),
      error: (e) => void errors.push(e),
      complete: () => undefined,
    },
  );
  return { events, errors, stop };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});

describe('notifications through the router', () => {
  let admin: string;
  beforeAll(async () => {
    admin = await adminToken();
  });

  it('alerts a user 1 km from a reported case (radius 5 km) with deliveries within 5 s; a user 50 km away gets none', async () => {
    const home = somewhere();
    const near = await livingAt(home, 'near');
    const far = await livingAt(north(home, 50), 'far');
    const reporter = await signUp('reporter');
    const childName = `Noa ${Date.now().toString(36)}`;
    await reportCase(reporter.token, { childName, lastSeenPlace: 'by the river', location: north(home, 1) });
    const alert = await until(async () => {
      const n = (await inbox(near.token)).nodes.find((x) => x.category === 'ALERT' && x.title.includes(childName));
      return n && n.deliveries.every((d) => d.status !== 'PENDING') && n;
    }, 5_000);
    expect(alert.body).toContain(childName);
    const byChannel = Object.fromEntries(alert.deliveries.map((d) => [d.channel, d]));
    expect(byChannel.IN_APP).toMatchObject({ status: 'SENT', attempts: 1 });
    // The suite's services have no e-mail provider (test/support/global-setup.ts): the one outcome is SKIPPED.
    expect(byChannel.EMAIL).toMatchObject({ status: 'SKIPPED', attempts: 0 });
    expect(byChannel.EMAIL!.lastError).toMatch(/E-mail is not configured/);
    // Both users' notifications would be written in the same transaction: none means none.
    expect((await inbox(far.token)).nodes.filter((x) => x.category === 'ALERT')).toEqual([]);
    expect((await inbox(reporter.token)).nodes.filter((x) => x.category === 'ALERT')).toEqual([]);
  });

  it('tells ADMINs about every new case in-app', async () => {
    await ok(UpdateNotificationPreferencesDocument, { input: { channels: ['IN_APP'] } }, { token: admin });
    const reporter = await signUp('reporter-admin');
    const childName = `Ivo ${Date.now().toString(36)}`;
    await reportCase(reporter.token, { childName, lastSeenPlace: 'the market', location: somewhere() });
    const n = await until(async () =>
      (await inbox(admin)).nodes.find((x) => x.category === 'ALERT' && x.title.includes(childName)),
    );
    expect(n.deliveries.map((d) => d.channel)).toEqual(['IN_APP']);
  });

  it('welcomes a new user, marks opened/acted/dismissed and counts unread', async () => {
    const u = await signUp('inbox');
    const welcome = await until(async () => (await inbox(u.token)).nodes.find((n) => n.category === 'WELCOME'));
    const before = (await inbox(u.token)).unread;
    expect(before).toBeGreaterThanOrEqual(1);
    const opened = (await ok(MarkNotificationOpenedDocument, { id: welcome.id }, { token: u.token }))
      .markNotificationOpened;
    expect(opened.openedAt).toBeTruthy();
    expect(
      (await ok(MarkNotificationOpenedDocument, { id: welcome.id }, { token: u.token })).markNotificationOpened
        .openedAt,
    ).toBe(opened.openedAt);
    expect(
      (await ok(MarkNotificationActedDocument, { id: welcome.id }, { token: u.token })).markNotificationActed.actedAt,
    ).toBeTruthy();
    expect(
      (await ok(DismissNotificationDocument, { id: welcome.id }, { token: u.token })).dismissNotification.dismissedAt,
    ).toBeTruthy();
    const after = await inbox(u.token);
    expect(after.unread).toBe(before - 1);
    const unreadOnly = (
      await ok(MyNotificationsDocument, { first: null, after: null, unreadOnly: true }, { token: u.token })
    ).me!.notifications!;
    expect(unreadOnly.edges.map((e) => e.node.id)).not.toContain(welcome.id);
    expect(codes(await gql(MyNotificationsDocument, { first: null, after: null, unreadOnly: null }))).toEqual([]); // anonymous: me is null, no error
  });

  it("refuses to read or mark another user's notification, and changes nothing", async () => {
    const owner = await signUp('owner');
    const other = await signUp('other');
    const n = await until(async () => (await inbox(owner.token)).nodes.find((x) => x.category === 'WELCOME'));
    for (const doc of [MarkNotificationOpenedDocument, MarkNotificationActedDocument, DismissNotificationDocument]) {
      const r = await gql(doc, { id: n.id }, { token: other.token });
      expect(['NOT_FOUND', 'FORBIDDEN']).toContain(codes(r)[0]);
    }
    const read = await gql(
      parse('query($id: ID!) { notification(id: $id) { id title } }'),
      { id: n.id },
      { token: other.token },
    );
    expect(['NOT_FOUND', 'FORBIDDEN']).toContain(codes(read)[0]);
    const mine = (await inbox(owner.token)).nodes.find((x) => x.id === n.id)!;
    expect(mine).toMatchObject({ openedAt: null, actedAt: null, dismissedAt: null });
    expect(codes(await gql(MarkNotificationOpenedDocument, { id: n.id }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gql(MarkNotificationOpenedDocument, { id: 'nope' }, { token: owner.token }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('reads and validates preferences, naming the offending field', async () => {
    const u = await signUp('prefs');
    const defaults = (await ok(NotificationPreferencesDocument, {}, { token: u.token })).me!.notificationPreferences;
    expect(defaults).toEqual({ channels: ['IN_APP', 'EMAIL'], alertRadiusKm: 5, homeLocation: null, quietHours: null });
    const set = await ok(
      UpdateNotificationPreferencesDocument,
      {
        input: {
          channels: ['PUSH', 'IN_APP', 'PUSH'],
          alertRadiusKm: 12.5,
          homeLocation: { lat: 47.37, lng: 8.54 },
          quietHours: { start: '22:00', end: '07:00', timezone: 'Europe/Zurich' },
        },
      },
      { token: u.token },
    );
    expect(set.updateNotificationPreferences).toEqual({ channels: ['PUSH', 'IN_APP'], alertRadiusKm: 12.5 });
    const read = (await ok(NotificationPreferencesDocument, {}, { token: u.token })).me!.notificationPreferences;
    expect(read).toMatchObject({
      homeLocation: { lat: 47.37, lng: 8.54 },
      quietHours: { start: '22:00', end: '07:00', timezone: 'Europe/Zurich' },
    });
    const bad: [Record<string, unknown>, string][] = [
      [{ alertRadiusKm: 0.05 }, 'input.alertRadiusKm'],
      [{ alertRadiusKm: 101 }, 'input.alertRadiusKm'],
      [{ channels: [] }, 'input.channels'],
      [{ homeLocation: { lat: 91, lng: 0 } }, 'input.homeLocation.lat'],
      [{ quietHours: { start: '25:00', end: '07:00', timezone: 'UTC' } }, 'input.quietHours.start'],
      [{ quietHours: { start: '22:00', end: '07:00', timezone: 'Mars/Olympus_Mons' } }, 'input.quietHours.timezone'],
    ];
    for (const [input, field] of bad) {
      const r = await gql(UpdateNotificationPreferencesDocument, { input: input as never }, { token: u.token });
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(r.errors![0]!.extensions!.field).toBe(field);
    }
    const other = await signUp('prefs-other');
    const peek = await gql(
      parse('query($id: ID!) { user(id: $id) { id notificationPreferences { alertRadiusKm } } }'),
      { id: u.id },
      { token: other.token },
    );
    expect(codes(peek)).toEqual(['FORBIDDEN']);
  });

  it('sends a test notification on one channel and returns the outcome', async () => {
    const u = await signUp('test-send');
    const inApp = (await ok(SendTestNotificationDocument, { channel: 'IN_APP' }, { token: u.token }))
      .sendTestNotification;
    expect(inApp.deliveries).toEqual([{ channel: 'IN_APP', status: 'SENT' }]);
    const sms = (await ok(SendTestNotificationDocument, { channel: 'SMS' }, { token: u.token })).sendTestNotification;
    expect(sms.deliveries).toEqual([{ channel: 'SMS', status: 'SKIPPED' }]); // no provider configured, no phone
    expect(codes(await gql(SendTestNotificationDocument, { channel: 'IN_APP' }))).toEqual(['UNAUTHENTICATED']);
  });

  it('lets only an ADMIN broadcast, and reaches users whose home is inside the circle', async () => {
    const home = somewhere();
    const inside = await livingAt(home, 'bc-in');
    const outside = await livingAt(north(home, 40), 'bc-out');
    const mutation = parse('mutation($input: BroadcastInput!) { broadcastNotification(input: $input) { id status } }');
    const title = `Heat wave ${Date.now().toString(36)}`;
    const input = { title, body: 'Drink water.', channels: ['IN_APP'], near: { ...home, radiusKm: 10 } };
    expect(codes(await gql(mutation, { input }, { token: inside.token }))).toEqual(['FORBIDDEN']);
    const bad = await gql(mutation, { input: { ...input, near: { ...home, radiusKm: 0 } } }, { token: admin });
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.near.radiusKm' });
    expect(codes(await gql(mutation, { input }, { token: admin }))).toEqual([]);
    await until(async () => (await inbox(inside.token)).nodes.find((n) => n.title === title));
    expect((await inbox(outside.token)).nodes.find((n) => n.title === title)).toBeUndefined();
  });

  it('resolves Notification entities only for their recipient, in one SQL statement', async () => {
    const u = await signUp('entities');
    const n = await until(async () => (await inbox(u.token)).nodes.find((x) => x.category === 'WELCOME'));
    const query = parse('query($r: [_Any!]!) { _entities(representations: $r) { ... on Notification { id title } } }');
    const reps = [n.id, '00000000-0000-4000-8000-000000000001', 'not-a-uuid'].map((id) => ({
      __typename: 'Notification',
      id,
    }));
    const url = inject('subgraphUrls').notifications!;
    const as = async (userId?: string) => ({
      [IDENTITY_HEADER]: await signIdentity(
        userId ? { userId, role: 'USER' } : {},
        'entities-test',
        inject('signingSecret'),
      ),
    });
    const before = await sqlStatements('notifications');
    const mine = await gql<{ _entities: ({ id: string; title: string } | null)[] }, object>(
      query,
      { r: reps },
      { url, headers: await as(u.id) },
    );
    expect(await sqlStatements('notifications')).toBe(before + 1);
    expect(mine.errors).toBeUndefined();
    expect(mine.data!._entities).toEqual([{ id: n.id, title: n.title }, null, null]);
    const theirs = await gql<{ _entities: unknown[] }, object>(
      query,
      { r: reps },
      { url, headers: await as('00000000-0000-4000-8000-000000000002') },
    );
    expect(theirs.data!._entities).toEqual([null, null, null]);
  });

  it("streams the signed-in user's new notifications over graphql-ws through the router; anonymous gets UNAUTHENTICATED", async () => {
    const u = await signUp('live');
    const feed = listen<{ notificationReceived: { id: string; title: string; category: string } }>(
      connect(u.token),
      print(NotificationReceivedDocument),
    );
    // The upstream subscription opens asynchronously: send until one arrives.
    const sent = new Set<string>();
    const got = await until(async () => {
      sent.add(
        (await ok(SendTestNotificationDocument, { channel: 'IN_APP' }, { token: u.token })).sendTestNotification.id,
      );
      return feed.events.find((e) => sent.has(e.notificationReceived.id));
    });
    expect(got.notificationReceived).toMatchObject({ title: 'Test notification', category: 'SYSTEM' });
    const stranger = await signUp('live-other');
    await ok(SendTestNotificationDocument, { channel: 'IN_APP' }, { token: stranger.token });
    const anonymous = listen(connect(), print(NotificationReceivedDocument));
    const error = await until(async () => anonymous.errors[0] as { extensions?: { code?: string } } | undefined);
    expect(error.extensions?.code).toBe('UNAUTHENTICATED');
    await new Promise((r) => setTimeout(r, 300));
    // The user's own WELCOME may arrive too; the stranger's test notification must not.
    const tests = feed.events.filter((e) => e.notificationReceived.category === 'SYSTEM');
    expect(tests.every((e) => sent.has(e.notificationReceived.id))).toBe(true);
  });

  it('streams alerts near a point, with the case resolved from the cases subgraph', async () => {
    const home = somewhere();
    const reporter = await signUp('live-alert');
    const live = listen<{
      alertRaised: {
        id: string;
        message: string;
        case: { id: string; reportId: string; childName: string; location: { lat: number } | null };
      };
    }>(connect(), print(AlertRaisedDocument), { near: { ...home, radiusKm: 5 } });
    const reported = new Map<string, string>();
    const got = await until(async () => {
      const c = await reportCase(reporter.token, {
        childName: `Mia ${reported.size}`,
        lastSeenPlace: 'the station',
        location: north(home, 1),
      });
      reported.set(c.id, c.reportId);
      await new Promise((r) => setTimeout(r, 500));
      return live.events.find((e) => reported.has(e.alertRaised.case.id));
    }, 15_000);
    expect(got.alertRaised.case.reportId).toBe(reported.get(got.alertRaised.case.id));
    expect(got.alertRaised.case.childName).toMatch(/^Mia \d$/);
    expect(got.alertRaised.message).toContain('Mia');
    // A case far away does not reach this subscription.
    await reportCase(reporter.token, { childName: 'Far Away', lastSeenPlace: 'elsewhere', location: north(home, 80) });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(live.events.every((e) => reported.has(e.alertRaised.case.id))).toBe(true);
  });
});
