import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { CATALOG_SDL_V2, TITLES, startFederation, type Federation } from './federation.fixture';
import { rawClient, subscribe, waitFor, type TestSubscription } from './client.fixture';

const MAIN = 'subscription { alertRaised { id case { id title } } }';

describe('federated subscriptions: lifecycle', () => {
  let fed: Federation;
  const live: TestSubscription[] = [];
  const open = (query: string, variables?: Record<string, unknown>) => {
    const s = subscribe(fed.wsUrl, query, variables);
    live.push(s);
    return s;
  };
  const settle = async () => {
    await Promise.all(live.splice(0).map((s) => s.dispose()));
    await waitFor(
      () => fed.engine.stats().clientSubscriptions === 0 && fed.engine.stats().upstreams === 0 && fed.hub.open === 0,
      `idle (${JSON.stringify(fed.engine.stats())}, subgraph open ${fed.hub.open})`,
    );
  };
  const expectLive = async () => {
    const sub = open(MAIN);
    await waitFor(() => fed.hub.open === 1, 'upstream subscription');
    const sent = fed.raise('c2', 'alive');
    await sub.waitEvents(1);
    expect(sub.events[0]).toEqual({ data: { alertRaised: { id: sent.id, case: { id: 'c2', title: TITLES.c2 } } } });
  };

  beforeAll(async () => {
    fed = await startFederation({ keepAlive: 300, upstreamKeepAlive: 200, upstreamTimeout: 600 });
  });
  afterEach(settle);
  afterAll(async () => {
    await Promise.all(live.map((s) => s.dispose()));
    await fed?.stop();
  });

  it('pings clients and keeps answering ones alive', async () => {
    const { ws } = await rawClient(fed.wsUrl);
    let pings = 0;
    ws.on('ping', () => {
      pings++;
    });
    await waitFor(() => pings >= 2, 'two pings from the router');
    expect(ws.readyState).toBe(ws.OPEN);
    ws.close();
  });

  it('ends subscriptions with an error when the upstream subgraph dies, and recovers after its restart', async () => {
    const sub = open(MAIN);
    await waitFor(() => fed.hub.open === 1, 'upstream subscription');
    await fed.alerts.kill();
    await sub.waitEnd();
    expect(sub.completed).toBe(true);
    expect(sub.events.at(-1).errors[0].extensions).toMatchObject({
      code: 'SUBGRAPH_UNAVAILABLE',
      serviceName: 'alerts',
    });
    expect(fed.engine.stats().upstreams).toBe(0);

    const whileDown = open(MAIN);
    await whileDown.waitEnd();
    expect(whileDown.events[0].errors[0].extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect(whileDown.events[0].errors[0].message).toMatch(/alerts/);

    await fed.alerts.restart();
    await expectLive();
  });

  it('cuts an upstream whose subgraph stops answering pings and reports it', async () => {
    const sub = open(MAIN);
    await waitFor(() => fed.hub.open === 1, 'upstream subscription');
    fed.alerts.freeze();
    await sub.waitEnd();
    expect(sub.events.at(-1).errors[0]).toMatchObject({
      message: 'Subgraph "alerts" stopped answering pings; the subscription was ended.',
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'alerts' },
    });
    expect(fed.engine.stats().upstreams).toBe(0);
    // The frozen server side still holds its half of the socket until ws gives up on it.
    await fed.alerts.kill();
    await fed.alerts.restart();
    await waitFor(() => fed.hub.open === 0, 'frozen subscription gone');
    await expectLive();
  });

  it('ends subscriptions on reload and plans new ones against the new supergraph', async () => {
    const sub = open(MAIN);
    await waitFor(() => fed.hub.open === 1, 'upstream subscription');
    const withRegion = open('subscription { alertRaised { case { region } } }');
    await withRegion.waitEnd();
    expect(withRegion.error).toBeDefined(); // `region` is not in the first supergraph

    const { supergraphSdl, apiSchema } = fed.compose(CATALOG_SDL_V2);
    fed.engine.reload(supergraphSdl, apiSchema);
    await sub.waitEnd();
    expect(sub.completed).toBe(true);
    expect(sub.events.at(-1).errors[0]).toMatchObject({
      extensions: { code: 'SUBSCRIPTION_ENDED', reason: 'schema reloaded' },
    });
    await waitFor(() => fed.engine.stats().upstreams === 0 && fed.hub.open === 0, 'old upstream closed');

    const after = open('subscription { alertRaised { case { id region } } }');
    await waitFor(() => fed.hub.open === 1, 'new upstream');
    fed.raise('c1', 'after reload');
    await after.waitEvents(1);
    expect(after.events[0]).toEqual({ data: { alertRaised: { case: { id: 'c1', region: 'north' } } } });
  });

  it('ends everything on dispose: subscriptions end, sockets close with 1001', async () => {
    const sub = open(MAIN);
    await waitFor(() => fed.hub.open === 1, 'upstream subscription');
    await fed.handle.dispose();
    await sub.waitEnd();
    expect(sub.events.at(-1).errors[0].extensions.code).toBe('SUBSCRIPTION_ENDED');
    await waitFor(() => sub.closed !== undefined, 'socket closed');
    expect(sub.closed?.code).toBe(1001);
    await waitFor(() => fed.hub.open === 0 && fed.engine.stats().clients === 0, 'all closed');
    expect(fed.engine.stats()).toEqual({ clients: 0, clientSubscriptions: 0, upstreams: 0 });
  });
});
