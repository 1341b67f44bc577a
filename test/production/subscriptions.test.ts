import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceProcess } from '../../scripts/start-production';
import { PASSWORD, SIGN_UP, eventually, post, startTopology, type Topology } from './support';

const ALERTS = 'subscription { alertRaised { id case { id reportId childName } } }';
const REPORT = 'mutation($input: ReportCaseInput!) { reportCase(input: $input) { id reportId } }';

interface Feed {
  client: Client;
  alerts: { caseId: string; childName: string }[];
  errors: { extensions?: { code?: string } }[];
}

/** Subscribes to AlertRaised through `routerUrl` and collects what arrives. */
async function subscribe(routerUrl: string): Promise<Feed> {
  const client = createClient({
    url: routerUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
  });
  const feed: Feed = { client, alerts: [], errors: [] };
  const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  client.subscribe<{ alertRaised: { case: { id: string; childName: string } } }>(
    { query: ALERTS },
    {
      next: (r) => {
        if (r.data)
          feed.alerts.push({ caseId: r.data.alertRaised.case.id, childName: r.data.alertRaised.case.childName });
        if (r.errors) feed.errors.push(...(r.errors as unknown as Feed['errors']));
      },
      error: (err) => feed.errors.push(...(Array.isArray(err) ? err : [{ extensions: { code: 'SOCKET_CLOSED' } }])),
      complete: () => undefined,
    },
  );
  await connected;
  return feed;
}

describe('production topology: subscriptions across replicas', () => {
  let topology: Topology;
  let token: string;
  let routerB: ServiceProcess;
  beforeAll(async () => {
    topology = await startTopology(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    // A second notifications process and a second router that uses it: replicas share Redis.
    const notificationsB = await topology.service('notifications').replica();
    routerB = await topology.service('router').replica({ NOTIFICATIONS_URL: notificationsB.url });
    const r = await post<{ signUp: { accessToken: string } }>(topology.routerUrl, SIGN_UP, {
      input: {
        email: `replicas.${Date.now().toString(36)}@example.com`,
        password: PASSWORD,
        displayName: 'Replica Test',
      },
    });
    token = r.data!.signUp.accessToken;
  });
  afterAll(() => topology?.stop());

  const report = (routerUrl: string, childName: string) =>
    post<{ reportCase: { id: string } }>(
      routerUrl,
      REPORT,
      {
        input: {
          childName,
          age: 9,
          gender: 'MALE',
          description: 'Blue jacket.',
          lastSeenAt: new Date(Date.now() - 600_000).toISOString(),
          lastSeenPlace: 'Lyon',
          location: { lat: 45.76, lng: 4.84 },
          contactPhone: '+33 6 12 34 56 78',
        },
      },
      token,
    );

  it('delivers an alert raised through either router to subscribers on both routers', async () => {
    const onA = await subscribe(topology.routerUrl);
    const onB = await subscribe(routerB.url);
    try {
      for (const [via, name] of [
        [topology.routerUrl, 'Noah A'],
        [routerB.url, 'Noah B'],
      ] as const) {
        const r = await report(via, name);
        expect(r.errors).toBeUndefined();
        const id = r.data!.reportCase.id;
        for (const feed of [onA, onB]) {
          const got = await eventually(async () => feed.alerts.find((a) => a.caseId === id), 15_000, `alert ${name}`);
          expect(got.childName).toBe(name); // resolved from the cases subgraph for each event
        }
      }
    } finally {
      await Promise.all([onA.client.dispose(), onB.client.dispose()]);
    }
  });

  it('tells subscribers within 2 s when notifications dies, and serves new subscriptions once it is back', async () => {
    const feed = await subscribe(topology.routerUrl);
    const notifications = topology.service('notifications');
    notifications.child.kill('SIGKILL');
    const error = await eventually(async () => feed.errors[0], 2_000, 'an error after the subgraph died');
    expect(error.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    await feed.client.dispose();

    await notifications.restart();
    const again = await eventually(
      async () => {
        const f = await subscribe(topology.routerUrl);
        await new Promise((r) => setTimeout(r, 300));
        if (f.errors.length) {
          await f.client.dispose();
          return undefined;
        }
        return f;
      },
      15_000,
      'a working subscription after the restart',
    );
    try {
      const r = await report(topology.routerUrl, 'Ella Back');
      await eventually(
        async () => again.alerts.find((a) => a.caseId === r.data!.reportCase.id),
        15_000,
        'alert after restart',
      );
    } finally {
      await again.client.dispose();
    }
  });
});
