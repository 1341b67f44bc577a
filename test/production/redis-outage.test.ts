import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateRedis } from '../support/redis-server';
import { PASSWORD, SIGN_UP, eventually, metric, post, startTopology, type Topology } from './support';

describe('production topology: Redis stops and comes back', () => {
  let redis: PrivateRedis;
  let topology: Topology;
  beforeAll(async () => {
    redis = new PrivateRedis();
    await redis.start();
    topology = await startTopology(redis.url);
  });
  afterAll(async () => {
    await topology?.stop();
    await redis?.stop();
  });

  it('keeps serving queries and mutations; events wait in the outbox and all arrive once afterwards', async () => {
    const users = topology.service('users');
    await redis.stop();

    const stamp = Date.now().toString(36);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await post<{ signUp: { accessToken: string; user: { id: string } } }>(topology.routerUrl, SIGN_UP, {
        input: { email: `outage${i}.${stamp}@example.com`, password: PASSWORD, displayName: `Outage ${i}` },
      });
      expect(r.errors).toBeUndefined();
      ids.push(r.data!.signUp.user.id);
      const me = await post(topology.routerUrl, '{ me { id } }', {}, r.data!.signUp.accessToken);
      expect(me.data).toEqual({ me: { id: r.data!.signUp.user.id } });
    }
    // Committed with the accounts, not yet published: the relay keeps them.
    await eventually(async () => (await metric(users.url, 'outbox_backlog')) >= 5, 10_000, 'outbox backlog');

    await redis.start();
    await eventually(async () => (await metric(users.url, 'outbox_backlog')) === 0, 30_000, 'outbox drained');

    const client = new Redis(redis.url);
    try {
      const entries = await client.xrange(`${topology.prefix}:events`, '-', '+');
      const registered = entries
        .map(
          ([, fields]) =>
            JSON.parse(fields[fields.indexOf('envelope') + 1]!) as { type: string; payload: { userId: string } },
        )
        .filter((e) => e.type === 'user.registered' && ids.includes(e.payload.userId));
      expect(registered.map((e) => e.payload.userId).sort()).toEqual([...ids].sort());
    } finally {
      client.disconnect();
    }
  });

  it('ends a session logged out while Redis was down: its revocation waits in users and is in force once Redis is back', async () => {
    const stamp = Date.now().toString(36);
    const signedUp = await post<{ signUp: { accessToken: string; refreshToken: string; user: { id: string } } }>(
      topology.routerUrl,
      SIGN_UP,
      { input: { email: `logout.${stamp}@example.com`, password: PASSWORD, displayName: 'Logout' } },
    );
    const { accessToken, refreshToken, user } = signedUp.data!.signUp;
    const me = () => post(topology.routerUrl, '{ me { id } }', {}, accessToken);
    expect((await me()).data).toEqual({ me: { id: user.id } });
    const sessionId = (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { sid: string })
      .sid;

    await redis.stop();
    const loggedOut = await post(topology.routerUrl, 'mutation($t: String!) { logOut(refreshToken: $t) }', {
      t: refreshToken,
    });
    expect(loggedOut.errors).toBeUndefined();
    expect(loggedOut.data).toEqual({ logOut: true });
    // The session ended in users' database at once; the router cannot learn it before Redis is back.
    const refreshed = await post(
      topology.routerUrl,
      'mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }',
      { t: refreshToken },
    );
    expect(refreshed.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect((await me()).data).toEqual({ me: { id: user.id } });

    await redis.start();
    const client = new Redis(redis.url);
    try {
      await eventually(
        async () => (await client.zscore(`${topology.prefix}:revocations`, `s:${sessionId}`)) !== null,
        15_000,
        'the revocation in the store',
      );
    } finally {
      client.disconnect();
    }
    // README: in force on every router replica within 5 s of reaching the store.
    await eventually(
      async () => {
        const r = await me();
        return r.status === 401 && r.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED';
      },
      5_000,
      'the router refusing the logged-out access token',
    );
  });

  it('delivers every alert of cases reported while Redis was down, once each, after it returns', async () => {
    const stamp = Date.now().toString(36);
    const signUp = async (tag: string) =>
      (
        await post<{ signUp: { accessToken: string } }>(topology.routerUrl, SIGN_UP, {
          input: { email: `${tag}.${stamp}@example.com`, password: PASSWORD, displayName: tag },
        })
      ).data!.signUp.accessToken;
    const watcher = await signUp('watcher');
    const reporter = await signUp('reporter');
    const prefs = await post(
      topology.routerUrl,
      'mutation($input: NotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { alertRadiusKm } }',
      { input: { channels: ['IN_APP'], alertRadiusKm: 5, homeLocation: { lat: 45.764, lng: 4.8357 } } },
      watcher,
    );
    expect(prefs.errors).toBeUndefined();

    await redis.stop();
    const names = ['Iris', 'Oskar', 'Mila'].map((n) => `${n} ${stamp}`);
    for (const childName of names) {
      const r = await post(
        topology.routerUrl,
        'mutation($input: ReportCaseInput!) { reportCase(input: $input) { id } }',
        {
          input: {
            childName,
            age: 8,
            gender: 'UNKNOWN',
            description: 'Reported during a Redis outage.',
            lastSeenAt: new Date(Date.now() - 600_000).toISOString(),
            lastSeenPlace: 'Lyon',
            location: { lat: 45.77, lng: 4.84 },
            contactPhone: '+33 6 12 34 56 78',
          },
        },
        reporter,
      );
      expect(r.errors).toBeUndefined(); // mutations keep working without Redis
    }
    await redis.start();

    const alertTitles = async () => {
      const r = await post<{ me: { notifications: { edges: { node: { title: string; category: string } }[] } } }>(
        topology.routerUrl,
        '{ me { notifications(first: 50) { edges { node { title category } } } } }',
        {},
        watcher,
      );
      return (
        r.data?.me.notifications.edges
          .map((e) => e.node)
          .filter((n) => n.category === 'ALERT')
          .map((n) => n.title) ?? []
      );
    };
    await eventually(
      async () => {
        const alerts = await alertTitles();
        return names.every((name) => alerts.some((t) => t.includes(name)));
      },
      30_000,
      'the alerts after Redis returned',
    );
    await new Promise((r) => setTimeout(r, 1_000)); // anything duplicated would have arrived by now
    const titles = await alertTitles();
    for (const name of names) expect(titles.filter((t) => t.includes(name))).toHaveLength(1);
  });
});
