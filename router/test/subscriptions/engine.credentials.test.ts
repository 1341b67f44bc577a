import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { startFederation, type Federation } from './federation.fixture';
import { subscribe, waitFor, type TestSubscription } from './client.fixture';

const MAIN = 'subscription { alertRaised { id message } }';

describe('federated subscriptions: credentials that stop holding', () => {
  let fed: Federation;
  const live: TestSubscription[] = [];
  const open = (params?: Record<string, unknown>) => {
    const s = subscribe(fed.wsUrl, MAIN, undefined, params);
    live.push(s);
    return s;
  };
  const messages = (s: TestSubscription) => s.events.map((e) => e.data?.alertRaised?.message);

  beforeAll(async () => {
    fed = await startFederation({
      // A session and an expiry as an access token would carry them.
      authenticate: async (p) =>
        typeof p?.user === 'string'
          ? {
              userId: p.user,
              session: typeof p.session === 'string' ? p.session : undefined,
              expiresAtMs: typeof p.expiresInMs === 'number' ? Date.now() + p.expiresInMs : undefined,
            }
          : null,
      credentialsEndAt: (identity) => identity.expiresAtMs,
      credentialsEndReason: 'token expired',
    });
  });
  afterEach(async () => {
    await Promise.all(live.splice(0).map((s) => s.dispose()));
    await waitFor(() => fed.engine.stats().clients === 0 && fed.hub.open === 0, 'idle engine');
  });
  afterAll(async () => {
    await fed?.stop();
  });

  it('endClients closes the sockets it picks with 4401, at once; other sessions and anonymous clients go on', async () => {
    const ended = open({ user: 'alice', session: 's1' });
    const sameUser = open({ user: 'alice', session: 's2' });
    const other = open({ user: 'bob', session: 's3' });
    const anonymous = open();
    // alice's two sessions share one upstream (same identity key), bob and the anonymous client one each.
    await waitFor(() => fed.hub.open === 3, 'three upstream subscriptions');
    fed.raise('c1', 'before');
    await Promise.all([ended, sameUser, other, anonymous].map((s) => s.waitEvents(1)));

    expect(fed.engine.endClients((identity) => identity.session === 's1', 'session ended')).toBe(1);
    await waitFor(() => ended.closed !== undefined, 'the ended socket closed');
    expect(ended.closed).toEqual({ code: 4401, reason: 'Unauthorized: session ended (UNAUTHENTICATED)' });

    fed.raise('c1', 'after');
    await Promise.all([sameUser, other, anonymous].map((s) => s.waitEvents(2)));
    expect(messages(ended)).toEqual(['before']);
    expect([sameUser, other, anonymous].map(messages)).toEqual([
      ['before', 'after'],
      ['before', 'after'],
      ['before', 'after'],
    ]);
    expect([sameUser, other, anonymous].map((s) => s.closed)).toEqual([undefined, undefined, undefined]);
    expect(fed.engine.stats().clients).toBe(3);
  });

  it('a predicate that picks every identity ends every signed-in client and no anonymous one', async () => {
    const signedIn = [open({ user: 'carol' }), open({ user: 'dave' })];
    const anonymous = open();
    await waitFor(() => fed.hub.open === 3, 'three upstream subscriptions');
    expect(fed.engine.endClients(() => true, 'everyone out')).toBe(2);
    await waitFor(() => signedIn.every((s) => s.closed), 'both signed-in sockets closed');
    expect(signedIn.map((s) => s.closed?.code)).toEqual([4401, 4401]);
    await waitFor(() => fed.hub.open === 1, 'their upstreams closed');
    fed.raise('c2', 'still here');
    await anonymous.waitEvents(1);
    expect(anonymous.closed).toBeUndefined();
  });

  it('closes a socket with 4401 when its credentials end; one without an end stays open', async () => {
    const brief = open({ user: 'erin', expiresInMs: 400 });
    const lasting = open({ user: 'frank' });
    await waitFor(() => fed.hub.open === 2, 'two upstream subscriptions');
    await waitFor(() => brief.closed !== undefined, 'the expiring socket closed', 3_000);
    expect(brief.closed).toEqual({ code: 4401, reason: 'Unauthorized: token expired (UNAUTHENTICATED)' });
    fed.raise('c1', 'later');
    await lasting.waitEvents(1);
    expect(messages(brief)).toEqual([]);
    expect(lasting.closed).toBeUndefined();
    expect(fed.engine.stats().clients).toBe(1);
  });
});
