import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { beforeAll, describe, expect, it, inject } from 'vitest';
import {
  ChangePasswordDocument,
  LogInDocument,
  LogOutDocument,
  MeDocument,
  MySessionsDocument,
  RefreshSessionDocument,
  RevokeSessionDocument,
  SetUserDisabledDocument,
  SetUserRoleDocument,
  SignUpDocument,
} from '../../operations/generated/graphql';
import { codes, gql, ok, uniqueEmail } from '../support/client';

const PASSWORD = 'correct-horse-7';
const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };
/** The contract: a revoked access token is refused within 5 s (at once in-process, through Redis pub/sub otherwise). */
const REVOCATION_DEADLINE = { timeout: 5_000, interval: 50 };

/** Signs in as `email` from a client whose User-Agent is `userAgent`. */
async function logIn(email: string, userAgent = 'sessions-test', password = PASSWORD) {
  const r = await gql(LogInDocument, { input: { email, password } }, { headers: { 'user-agent': userAgent } });
  if (!r.data) throw new Error(`sign-in failed: ${JSON.stringify(r.errors)}`);
  return r.data.logIn;
}

async function signUp(tag: string) {
  const email = uniqueEmail(tag);
  const data = await ok(SignUpDocument, { input: { email, password: PASSWORD, displayName: `Sessions ${tag}` } });
  return { email, ...data.signUp };
}

/** HTTP status and error codes of a `me` query with `token`. */
async function meWith(token: string) {
  const r = await gql(MeDocument, {}, { token });
  return { status: r.status, codes: codes(r), id: r.data?.me?.id };
}

const refused = { status: 401, codes: ['UNAUTHENTICATED'], id: undefined };

/** Opens a graphql-ws connection with `token` and resolves with its close code (4401: refused at connection_init). */
function webSocketCloseCode(token: string): Promise<number> {
  return new Promise((resolve) => {
    const client = createClient({
      url: inject('routerUrl').replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
      connectionParams: { authorization: `Bearer ${token}` },
      on: {
        connected: () => void client.dispose(),
        closed: (e) => resolve((e as { code: number }).code),
      },
    });
  });
}

describe('logged-out means logged out', () => {
  it('refuses the access token of a logged-out session within 5 s; other sessions keep working', async () => {
    const u = await signUp('logout');
    const other = await logIn(u.email);
    expect((await meWith(u.accessToken)).id).toBe(u.user.id);
    expect((await ok(LogOutDocument, { refreshToken: u.refreshToken })).logOut).toBe(true);
    await expect.poll(() => meWith(u.accessToken), REVOCATION_DEADLINE).toEqual(refused);
    expect((await meWith(other.accessToken)).id).toBe(u.user.id);
    // The same token cannot open a WebSocket either; the other session's can.
    expect(await webSocketCloseCode(u.accessToken)).toBe(4401);
    expect(await webSocketCloseCode(other.accessToken)).toBe(1000);
  });

  it("changePassword refuses the access tokens of every other session, not the caller's", async () => {
    const u = await signUp('chpw');
    const other = await logIn(u.email);
    expect(
      (
        await ok(
          ChangePasswordDocument,
          { currentPassword: PASSWORD, newPassword: 'another-pass-9' },
          { token: u.accessToken },
        )
      ).changePassword,
    ).toBe(true);
    await expect.poll(() => meWith(other.accessToken), REVOCATION_DEADLINE).toEqual(refused);
    expect((await meWith(u.accessToken)).id).toBe(u.user.id);
  });

  it('a role change refuses the old tokens; a refresh gives one with the new role', async () => {
    const admin = await logIn(ADMIN.email, 'admin', ADMIN.password);
    const u = await signUp('role');
    expect(
      (await ok(SetUserRoleDocument, { userId: u.user.id, role: 'ADMIN' }, { token: admin.accessToken })).setUserRole
        .role,
    ).toBe('ADMIN');
    await expect.poll(() => meWith(u.accessToken), REVOCATION_DEADLINE).toEqual(refused);
    const refreshed = (await ok(RefreshSessionDocument, { refreshToken: u.refreshToken })).refreshSession;
    const me = await ok(MeDocument, {}, { token: refreshed.accessToken });
    expect(me.me).toMatchObject({ id: u.user.id, role: 'ADMIN' });
  });

  it("reusing a rotated refresh token ends the family's access tokens too", async () => {
    const u = await signUp('reuse');
    const rotated = (await ok(RefreshSessionDocument, { refreshToken: u.refreshToken })).refreshSession;
    expect(codes(await gql(RefreshSessionDocument, { refreshToken: u.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    await expect.poll(() => meWith(rotated.accessToken), REVOCATION_DEADLINE).toEqual(refused);
  });
});

describe('mySessions and revokeSession', () => {
  it("lists the live sessions newest first with their User-Agent and last use; current marks the caller's", async () => {
    const u = await signUp('list');
    const phone = await logIn(u.email, 'PhoneApp/1.0');
    const laptop = await logIn(u.email, 'Laptop Browser/2.0');
    const { mySessions } = await ok(MySessionsDocument, {}, { token: laptop.accessToken });
    expect(mySessions.map((s) => s.userAgent)).toEqual(['Laptop Browser/2.0', 'PhoneApp/1.0', expect.any(String)]);
    expect(mySessions.map((s) => s.current)).toEqual([true, false, false]);
    const created = mySessions.map((s) => Date.parse(s.createdAt));
    expect([...created].sort((a, b) => b - a)).toEqual(created);
    for (const s of mySessions) expect(s.lastUsedAt).toBe(s.createdAt);

    // A refresh records its own User-Agent and time; the session keeps its id and start.
    const phoneSession = mySessions[1]!;
    const refreshed = await gql(
      RefreshSessionDocument,
      { refreshToken: phone.refreshToken },
      { headers: { 'user-agent': 'PhoneApp/1.1' } },
    );
    const after = (await ok(MySessionsDocument, {}, { token: refreshed.data!.refreshSession.accessToken })).mySessions;
    const same = after.find((s) => s.id === phoneSession.id)!;
    expect(same).toMatchObject({ current: true, createdAt: phoneSession.createdAt, userAgent: 'PhoneApp/1.1' });
    expect(Date.parse(same.lastUsedAt)).toBeGreaterThan(Date.parse(phoneSession.lastUsedAt));
    expect(after).toHaveLength(3);
  });

  it('ends one session: its access token within 5 s, its refresh token at once, and it leaves the list', async () => {
    const u = await signUp('revoke');
    const other = await logIn(u.email, 'Other/1');
    const sessions = (await ok(MySessionsDocument, {}, { token: u.accessToken })).mySessions;
    const target = sessions.find((s) => !s.current)!;
    expect((await ok(RevokeSessionDocument, { id: target.id }, { token: u.accessToken })).revokeSession).toBe(true);
    await expect.poll(() => meWith(other.accessToken), REVOCATION_DEADLINE).toEqual(refused);
    expect(codes(await gql(RefreshSessionDocument, { refreshToken: other.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    const left = (await ok(MySessionsDocument, {}, { token: u.accessToken })).mySessions;
    expect(left.map((s) => s.id)).toEqual(sessions.filter((s) => s.current).map((s) => s.id));
    // Ended already: it is no longer one of the caller's sessions.
    expect(codes(await gql(RevokeSessionDocument, { id: target.id }, { token: u.accessToken }))).toEqual(['NOT_FOUND']);
  });

  it("answers NOT_FOUND for an unknown id and for another user's session alike, which keeps working", async () => {
    const a = await signUp('owner');
    const b = await signUp('stranger');
    const bSession = (await ok(MySessionsDocument, {}, { token: b.accessToken })).mySessions[0]!;
    const unknown = await gql(RevokeSessionDocument, { id: randomUUID() }, { token: a.accessToken });
    const foreign = await gql(RevokeSessionDocument, { id: bSession.id }, { token: a.accessToken });
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    expect(codes(foreign)).toEqual(['NOT_FOUND']);
    expect(foreign.errors![0]!.message.replace(bSession.id, 'ID')).toBe(
      unknown.errors![0]!.message.replace(/[0-9a-f-]{36}/, 'ID'),
    );
    expect((await meWith(b.accessToken)).id).toBe(b.user.id);
    expect((await ok(MySessionsDocument, {}, { token: b.accessToken })).mySessions).toHaveLength(1);
  });

  it('refuses a malformed id with BAD_USER_INPUT and anonymous callers with UNAUTHENTICATED', async () => {
    const u = await signUp('bad');
    const malformed = await gql(RevokeSessionDocument, { id: 'not-a-session' }, { token: u.accessToken });
    expect(codes(malformed)).toEqual(['BAD_USER_INPUT']);
    expect(malformed.errors![0]!.extensions!.field).toBe('id');
    expect(codes(await gql(RevokeSessionDocument, { id: randomUUID() }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gql(MySessionsDocument, {}))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('setUserDisabled', () => {
  let admin: Awaited<ReturnType<typeof logIn>>;
  beforeAll(async () => {
    admin = await logIn(ADMIN.email, 'admin', ADMIN.password);
  });

  it('disables an account: its tokens stop within 5 s, sign-in answers ACCOUNT_DISABLED; enabling lets it back in', async () => {
    const u = await signUp('disabled');
    const second = await logIn(u.email);
    const r = await ok(SetUserDisabledDocument, { userId: u.user.id, disabled: true }, { token: admin.accessToken });
    expect(r.setUserDisabled).toEqual({ id: u.user.id, disabled: true });
    await expect.poll(() => meWith(u.accessToken), REVOCATION_DEADLINE).toEqual(refused);
    expect(await meWith(second.accessToken)).toEqual(refused);
    expect(codes(await gql(RefreshSessionDocument, { refreshToken: second.refreshToken }))).toEqual([
      'UNAUTHENTICATED',
    ]);

    const signIn = await gql(LogInDocument, { input: { email: u.email, password: PASSWORD } });
    expect(codes(signIn)).toEqual(['ACCOUNT_DISABLED']);
    // A wrong password is answered as for any account: being disabled is not revealed to a guesser.
    expect(codes(await gql(LogInDocument, { input: { email: u.email, password: 'wrong-password-1' } }))).toEqual([
      'UNAUTHENTICATED',
    ]);

    expect(
      (await ok(SetUserDisabledDocument, { userId: u.user.id, disabled: false }, { token: admin.accessToken }))
        .setUserDisabled.disabled,
    ).toBe(false);
    const back = await logIn(u.email);
    expect((await meWith(back.accessToken)).id).toBe(u.user.id);
  });

  it('is for ADMINs only, not for their own account, and answers NOT_FOUND for an unknown user', async () => {
    const u = await signUp('notadmin');
    const victim = await signUp('victim');
    expect(
      codes(await gql(SetUserDisabledDocument, { userId: victim.user.id, disabled: true }, { token: u.accessToken })),
    ).toEqual(['FORBIDDEN']);
    expect(codes(await gql(SetUserDisabledDocument, { userId: victim.user.id, disabled: true }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect((await meWith(victim.accessToken)).id).toBe(victim.user.id);

    const self = await gql(
      SetUserDisabledDocument,
      { userId: admin.user.id, disabled: true },
      { token: admin.accessToken },
    );
    expect(codes(self)).toEqual(['BAD_USER_INPUT']);
    expect(self.errors![0]!.extensions!.field).toBe('userId');
    expect(
      codes(await gql(SetUserDisabledDocument, { userId: randomUUID(), disabled: true }, { token: admin.accessToken })),
    ).toEqual(['NOT_FOUND']);
    const malformed = await gql(
      SetUserDisabledDocument,
      { userId: 'nope', disabled: true },
      { token: admin.accessToken },
    );
    expect(malformed.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
  });
});
