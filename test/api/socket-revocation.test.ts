import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterEach, describe, expect, it, inject } from 'vitest';
import {
  LogInDocument,
  LogOutDocument,
  NotificationReceivedDocument,
  SendTestNotificationDocument,
  SetUserDisabledDocument,
  SignUpDocument,
} from '../../operations/generated/graphql';
import { ok, uniqueEmail } from '../support/client';
import { adminToken } from './cases.fixtures';

const PASSWORD = 'correct-horse-7';
/** The contract: a revocation reaches every router replica within 5 s (at once in-process, through Redis pub/sub otherwise). */
const REVOCATION_DEADLINE = { timeout: 5_000, interval: 50 };
const SESSION_ENDED = { code: 4401, reason: 'Unauthorized: This session has ended. Sign in again. (UNAUTHENTICATED)' };

/** A signed-in user with two sessions of its own (two sign-ins). */
async function userWithTwoSessions(tag: string) {
  const email = uniqueEmail(tag);
  const first = (await ok(SignUpDocument, { input: { email, password: PASSWORD, displayName: `Socket ${tag}` } }))
    .signUp;
  const second = (await ok(LogInDocument, { input: { email, password: PASSWORD } })).logIn;
  return { id: first.user.id, first, second };
}

/** A graphql-ws socket to the router signed in with `token`, following the user's notifications. */
interface Feed {
  /** Ids of the notifications received. */
  ids: string[];
  /** Close code and reason once the socket closed. */
  closed?: { code: number; reason: string };
}

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});

/** Opens a socket with `token`, subscribes to NotificationReceived and resolves once the router acknowledged it. */
async function follow(token: string): Promise<Feed> {
  const feed: Feed = { ids: [] };
  let acknowledged!: () => void;
  const connected = new Promise<void>((resolve) => (acknowledged = resolve));
  const client = createClient({
    url: inject('routerUrl').replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
    on: {
      connected: () => acknowledged(),
      closed: (e) => {
        const { code, reason } = e as { code: number; reason: string };
        feed.closed = { code, reason: String(reason) };
      },
    },
  });
  clients.push(client);
  client.subscribe<{ notificationReceived: { id: string } }>(
    { query: print(NotificationReceivedDocument) },
    {
      next: (r) => void (r.data && feed.ids.push(r.data.notificationReceived.id)),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  await connected;
  return feed;
}

/**
 * Sends `token`'s user test notifications until `feed` received one of them: the upstream
 * subscription opens asynchronously, so the first may go out before it listens.
 */
async function delivers(feed: Feed, token: string): Promise<void> {
  const sent = new Set<string>();
  await expect
    .poll(
      async () => {
        sent.add((await ok(SendTestNotificationDocument, { channel: 'IN_APP' }, { token })).sendTestNotification.id);
        return feed.ids.some((id) => sent.has(id));
      },
      { timeout: 10_000, interval: 200 },
    )
    .toBe(true);
}

describe('open sockets of revoked sessions are closed', () => {
  it('logOut closes the sockets of that session with 4401; the same user’s other session and another user go on', async () => {
    const u = await userWithTwoSessions('ws-logout');
    const other = await userWithTwoSessions('ws-bystander');
    const [ended, sameUser, bystander] = await Promise.all([
      follow(u.first.accessToken),
      follow(u.second.accessToken),
      follow(other.first.accessToken),
    ]);
    await delivers(ended, u.first.accessToken); // live before the logout
    expect((await ok(LogOutDocument, { refreshToken: u.first.refreshToken })).logOut).toBe(true);

    await expect.poll(() => ended.closed, REVOCATION_DEADLINE).toEqual(SESSION_ENDED);
    const receivedBefore = ended.ids.length;
    await delivers(sameUser, u.second.accessToken);
    await delivers(bystander, other.first.accessToken);
    expect(ended.ids).toHaveLength(receivedBefore);
    expect([sameUser.closed, bystander.closed]).toEqual([undefined, undefined]);
  });

  it("setUserDisabled closes every socket of that user with 4401; another user's stays open", async () => {
    const admin = await adminToken();
    const u = await userWithTwoSessions('ws-disabled');
    const other = await userWithTwoSessions('ws-unaffected');
    const [first, second, bystander] = await Promise.all([
      follow(u.first.accessToken),
      follow(u.second.accessToken),
      follow(other.first.accessToken),
    ]);
    await delivers(second, u.second.accessToken);
    const { setUserDisabled } = await ok(SetUserDisabledDocument, { userId: u.id, disabled: true }, { token: admin });
    expect(setUserDisabled.disabled).toBe(true);

    await expect.poll(() => [first.closed, second.closed], REVOCATION_DEADLINE).toEqual([SESSION_ENDED, SESSION_ENDED]);
    await delivers(bystander, other.first.accessToken);
    expect(bystander.closed).toBeUndefined();
  });
});
