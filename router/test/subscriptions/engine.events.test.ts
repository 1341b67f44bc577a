import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { TITLES, startFederation, type Federation } from './federation.fixture';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { rawClient, subscribe, waitFor, type TestSubscription } from './client.fixture';

const MAIN = 'subscription { alertRaised { id message case { id title } } }';

describe('federated subscriptions: events', () => {
  let fed: Federation;
  const live: TestSubscription[] = [];
  const open = (
    query: string,
    variables?: Record<string, unknown>,
    params?: Record<string, unknown>,
    operationName?: string,
  ) => {
    const s = subscribe(fed.wsUrl, query, variables, params, operationName);
    live.push(s);
    return s;
  };
  const idle = () =>
    waitFor(
      () => {
        const st = fed.engine.stats();
        return st.clientSubscriptions === 0 && st.upstreams === 0 && fed.hub.open === 0;
      },
      `idle engine (${JSON.stringify(fed.engine.stats())}, subgraph open ${fed.hub.open})`,
    );
  const settle = async () => {
    await Promise.all(live.splice(0).map((s) => s.dispose()));
    await idle();
  };

  beforeAll(async () => {
    // 25 leaves room for the 20-event burst below; the slow-client test overflows it on purpose.
    fed = await startFederation({ maxQueuedEvents: 25 });
  });
  // Every test starts from an idle engine and subgraph, even after a failure.
  afterEach(settle);
  afterAll(async () => {
    await Promise.all(live.map((s) => s.dispose()));
    await fed?.stop();
  });

  it('resolves fields of a second subgraph inside each event', async () => {
    const sub = open(MAIN);
    await waitFor(() => fed.hub.open === 1, 'upstream subscription');
    const a = fed.raise('c1', 'water leak');
    const b = fed.raise('c2', 'smoke');
    await sub.waitEvents(2);
    expect(sub.events).toEqual([
      { data: { alertRaised: { id: a.id, message: 'water leak', case: { id: 'c1', title: TITLES.c1 } } } },
      { data: { alertRaised: { id: b.id, message: 'smoke', case: { id: 'c2', title: TITLES.c2 } } } },
    ]);
  });

  it('forwards variables to the primary fetch and applies them in rest', async () => {
    const q =
      'subscription S($c: ID, $withCase: Boolean!) { a: alertRaised(caseId: $c) { msg: message case @include(if: $withCase) { t: title } } }';
    const withCase = open(q, { c: 'c2', withCase: true });
    const without = open(q, { c: 'c2', withCase: false });
    // @include on `case` reaches the primary fetch too, so $withCase is an upstream variable here.
    await waitFor(() => fed.hub.open === 2 && fed.engine.stats().upstreams === 2, 'both subscribed');
    fed.raise('c1', 'filtered out upstream');
    fed.raise('c2', 'kept');
    await Promise.all([withCase.waitEvents(1), without.waitEvents(1)]);
    expect(withCase.events).toEqual([{ data: { a: { msg: 'kept', case: { t: TITLES.c2 } } } }]);
    expect(without.events).toEqual([{ data: { a: { msg: 'kept' } } }]);

    const missing = open(q, { c: 'c2' });
    await missing.waitEnd();
    expect(missing.events[0].errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(missing.events[0].errors[0].message).toMatch(/withCase/);
  });

  it('refuses an operation name the document does not have, as over HTTP', async () => {
    const q = 'subscription A { alertRaised { message } } subscription B { alertRaised { level } }';
    for (const [name, message] of [
      ['C', 'Unknown operation named "C".'],
      ['', 'Unknown operation named "".'],
      [undefined, 'Must provide operation name if query contains multiple operations.'],
    ] as const) {
      const sub = open(q, undefined, undefined, name);
      await sub.waitEnd();
      expect(sub.error).toEqual([{ message, extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }]);
    }
    const b = open(q, undefined, undefined, 'B');
    await waitFor(() => fed.hub.open === 1, 'upstream subscription');
    fed.raise('c1', 'named');
    await b.waitEvents(1);
    expect(b.events).toEqual([{ data: { alertRaised: { level: 3 } } }]);
  });

  it('turns errors inside an event into GraphQL errors and keeps the stream alive', async () => {
    const sub = open('subscription { alertRaised { message level case { title } } }');
    await waitFor(() => fed.hub.open === 1, 'upstream subscription');
    fed.raise('c1', 'bad-level'); // alerts: partial data
    fed.raise('boom', 'catalog throws'); // catalog: entity error
    fed.raise('c2', 'fine');
    await sub.waitEvents(3);
    const [partial, broken, fine] = sub.events;
    expect(partial.data).toEqual({ alertRaised: { message: 'bad-level', level: null, case: { title: TITLES.c1 } } });
    expect(partial.errors[0]).toMatchObject({
      path: ['alertRaised', 'level'],
      extensions: { code: 'LEVEL_UNAVAILABLE', serviceName: 'alerts' },
    });
    expect(broken.data).toBeNull();
    expect(broken.errors[0].extensions).toMatchObject({ code: 'CATALOG_FAILURE', serviceName: 'catalog' });
    for (const e of [...partial.errors, ...broken.errors]) expect(e.extensions.stacktrace).toBeUndefined();
    expect(fine).toEqual({ data: { alertRaised: { message: 'fine', level: 3, case: { title: TITLES.c2 } } } });
    expect(sub.completed).toBe(false);
  });

  it('delivers a burst of 20 events in upstream order, each fully resolved', async () => {
    const sub = open(MAIN);
    await waitFor(() => fed.hub.open === 1, 'upstream subscription');
    const sent = Array.from({ length: 20 }, (_, i) => fed.raise(i % 2 ? 'c1' : 'c2', `burst ${i}`));
    await sub.waitEvents(20);
    expect(sub.events.map((e) => e.data.alertRaised.id)).toEqual(sent.map((e) => e.id));
    expect(
      sub.events.every((e) => !e.errors && e.data.alertRaised.case.title === TITLES[e.data.alertRaised.case.id]),
    ).toBe(true);
  });

  it('shares one upstream between identical subscriptions and resolves each event once per distinct operation', async () => {
    const one = open(MAIN);
    const two = open(MAIN);
    const aliased = open('subscription { alertRaised { id message case { id t: title } } }'); // same primary, other rest
    await waitFor(
      () => fed.engine.stats().clientSubscriptions === 3 && fed.hub.open === 1,
      'three client subscriptions',
    );
    expect(fed.engine.stats()).toEqual({ clients: 3, clientSubscriptions: 3, upstreams: 1 });
    expect(fed.hub.open).toBe(1);
    const before = fed.entityCalls();
    fed.raise('c1', 'shared');
    await Promise.all([one.waitEvents(1), two.waitEvents(1), aliased.waitEvents(1)]);
    expect(one.events).toEqual(two.events);
    expect(aliased.events[0].data.alertRaised.case).toEqual({ id: 'c1', t: TITLES.c1 });
    expect(fed.entityCalls() - before).toBe(2); // MAIN once (for two clients) + the aliased operation once

    await two.dispose();
    await waitFor(() => fed.engine.stats().clientSubscriptions === 2, 'one left');
    expect(fed.engine.stats().upstreams).toBe(1); // others still subscribed
  });

  it('never shares upstreams between identities and passes identity upstream and to entity fetches', async () => {
    const q = 'subscription { alertRaised { id case { viewer } } }';
    const alice = open(q, undefined, { user: 'alice' });
    const bob = open(q, undefined, { user: 'bob' });
    await waitFor(() => fed.hub.open === 2, 'two upstreams');
    expect(fed.engine.stats().upstreams).toBe(2);
    fed.raise('c1', 'who');
    await Promise.all([alice.waitEvents(1), bob.waitEvents(1)]);
    expect(alice.events[0].data.alertRaised.case.viewer).toBe('alice');
    expect(bob.events[0].data.alertRaised.case.viewer).toBe('bob');
    expect(fed.alerts.lastConnectionParams?.signature).toMatch(/^signed:(alice|bob)$/);
  });

  it('fans out to 100 clients over one upstream and closes it when they all leave', async () => {
    const subs = Array.from({ length: 100 }, () => open(MAIN));
    await waitFor(
      () => fed.engine.stats().clientSubscriptions === 100 && fed.hub.open === 1,
      '100 subscriptions',
      15_000,
    );
    expect(fed.engine.stats()).toMatchObject({ clients: 100, upstreams: 1 });
    expect(fed.hub.open).toBe(1);
    fed.raise('c2', 'broadcast');
    await Promise.all(subs.map((s) => s.waitEvents(1)));
    expect(subs.every((s) => s.events[0].data.alertRaised.case.title === TITLES.c2)).toBe(true);
    await settle();
    await waitFor(() => fed.engine.stats().clients === 0, 'all sockets closed');
    expect(fed.engine.stats()).toEqual({ clients: 0, clientSubscriptions: 0, upstreams: 0 });
    expect(fed.hub.open).toBe(0);
  });

  it('closes a client that stops reading (4429) while another client on the same upstream keeps receiving', async () => {
    const slow = await rawClient(fed.wsUrl);
    slow.ws.send(
      JSON.stringify({
        id: 's1',
        type: 'subscribe',
        payload: { query: 'subscription { alertRaised { id note case { id } } }' },
      }),
    );
    const normal = open('subscription { alertRaised { id note case { id } } }');
    await waitFor(() => fed.engine.stats().clientSubscriptions === 2 && fed.hub.open === 1, 'both subscribed');
    expect(fed.engine.stats().upstreams).toBe(1);
    slow.ws.pause();
    // Big events fill the kernel socket buffers first, then the slow client's queue.
    const note = 'x'.repeat(256 * 1024);
    const sent: string[] = [];
    while (fed.engine.stats().clientSubscriptions === 2 && sent.length < 200) {
      sent.push(fed.raise('c1', 'big', note).id);
      await normal.waitEvents(sent.length);
    }
    expect(fed.engine.stats().clientSubscriptions).toBe(1);
    expect(normal.events.map((e) => e.data.alertRaised.id)).toEqual(sent);
    slow.ws.resume();
    expect(await slow.closed).toEqual({ code: 4429, reason: 'Too many queued events' });
    fed.raise('c2', 'after');
    await normal.waitEvents(sent.length + 1);
    expect(normal.events.at(-1).data.alertRaised.case.id).toBe('c2');
  });

  it('rejects a connection whose authentication fails with 4401 and a reason', async () => {
    const sub = open(MAIN, undefined, { token: 'bad' });
    await sub.waitEnd();
    expect(sub.closed?.code).toBe(4401);
    expect(sub.closed?.reason).toBe('Unauthorized: token expired (UNAUTHENTICATED)');
    expect(fed.engine.stats().clients).toBe(0);
  });

  it('reports an upstream refusal for the identity as UNAUTHENTICATED', async () => {
    const sub = open(MAIN, undefined, { user: 'mallory' });
    await sub.waitEnd();
    expect(sub.completed).toBe(true);
    expect(sub.events).toHaveLength(1);
    expect(sub.events[0].errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', serviceName: 'alerts' });
  });

  it('runs queries over the same socket through the gateway, and survives a parse error', async () => {
    let closes = 0;
    const client = createClient({
      url: fed.wsUrl,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: { user: 'carol' },
      on: {
        closed: () => {
          closes++;
        },
      },
    });
    const run = async (query: string, variables?: Record<string, unknown>) => {
      const got: unknown[] = [];
      try {
        for await (const r of client.iterate({ query, variables })) got.push(r);
      } catch (err) {
        got.push({ thrown: err });
      }
      return got;
    };
    try {
      const broken = await run('subscription { alertRaised {');
      expect(broken).toMatchObject([{ thrown: [{ message: expect.stringMatching(/Syntax Error/) }] }]);
      expect(await run('query Q($id: ID!) { case(id: $id) { title viewer } }', { id: 'c2' })).toEqual([
        { data: { case: { title: TITLES.c2, viewer: 'carol' } } },
      ]);
      expect(closes).toBe(0); // both ran on the one socket
    } finally {
      await client.dispose();
    }
  });
});
