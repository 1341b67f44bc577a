import { parse } from 'graphql';
import { describe, expect, it, beforeAll, inject } from 'vitest';
import { TOTP, Secret } from 'otpauth';
import { IDENTITY_HEADER, signIdentity } from '@supergraph/kit';
import {
  ChangePasswordDocument,
  LogInDocument,
  LogOutDocument,
  MeDocument,
  RefreshSessionDocument,
  SetUserRoleDocument,
  SignUpDocument,
  UpdateProfileDocument,
} from '../../operations/generated/graphql';
import { codes, gql, ok, sqlStatements, uniqueEmail } from '../support/client';

const PASSWORD = 'correct-horse-7';
const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };

async function signUp(tag = 'user') {
  const email = uniqueEmail(tag);
  const data = await ok(SignUpDocument, { input: { email, password: PASSWORD, displayName: `Test ${tag}` } });
  return { email, ...data.signUp };
}

describe('users through the router', () => {
  let adminToken: string;
  beforeAll(async () => {
    adminToken = (await ok(LogInDocument, { input: ADMIN })).logIn.accessToken;
  });

  it('signs up, shows the new user its own email, and answers Me', async () => {
    const u = await signUp('signup');
    expect(u.user).toMatchObject({ email: u.email, displayName: 'Test signup', role: 'USER' });
    const me = await ok(MeDocument, {}, { token: u.accessToken });
    expect(me.me).toMatchObject({ id: u.user.id, email: u.email, role: 'USER' });
    expect(new Date(me.me!.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('answers Me with null for anonymous callers and 401 UNAUTHENTICATED for a bad token', async () => {
    expect((await ok(MeDocument)).me).toBeNull();
    const bad = await gql(MeDocument, {}, { token: 'not-a-jwt' });
    expect(bad.status).toBe(401);
    expect(codes(bad)).toEqual(['UNAUTHENTICATED']);
  });

  it.each([
    [{ email: 'not-an-email', password: PASSWORD, displayName: 'Ann' }, 'input.email'],
    [{ email: uniqueEmail(), password: 'short1', displayName: 'Ann' }, 'input.password'],
    [{ email: uniqueEmail(), password: 'onlyletterslong', displayName: 'Ann' }, 'input.password'],
    [{ email: uniqueEmail(), password: PASSWORD, displayName: 'A' }, 'input.displayName'],
    [{ email: uniqueEmail(), password: PASSWORD, displayName: 'x'.repeat(51) }, 'input.displayName'],
  ])('refuses bad sign-up input %# with BAD_USER_INPUT naming the field', async (input, field) => {
    const r = await gql(SignUpDocument, { input });
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.errors![0]!.extensions!.field).toBe(field);
    expect(r.errors![0]!.message).toContain(field);
    expect(JSON.stringify(r.errors)).not.toMatch(/stack|at [\w.]+ \(/);
  });

  it('refuses a second account for the same email with CONFLICT', async () => {
    const u = await signUp('dup');
    const r = await gql(SignUpDocument, {
      input: { email: u.email.toUpperCase(), password: PASSWORD, displayName: 'Again' },
    });
    expect(codes(r)).toEqual(['CONFLICT']);
  });

  it('locks the account after five wrong passwords: the sixth attempt says until when', async () => {
    const u = await signUp('lock');
    for (let i = 0; i < 5; i++) {
      const r = await gql(LogInDocument, { input: { email: u.email, password: 'wrong-password-1' } });
      expect(codes(r)).toEqual(['UNAUTHENTICATED']);
    }
    for (const password of ['wrong-password-1', PASSWORD]) {
      const r = await gql(LogInDocument, { input: { email: u.email, password } });
      expect(codes(r)).toEqual(['ACCOUNT_LOCKED']);
      const until = new Date(r.errors![0]!.extensions!.lockedUntil as string).getTime();
      expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
      expect(r.errors![0]!.message).toContain(new Date(until).toISOString());
    }
  });

  it('rotates refresh tokens; reusing a rotated one fails and revokes the whole family', async () => {
    const u = await signUp('rotate');
    const first = (await ok(RefreshSessionDocument, { refreshToken: u.refreshToken })).refreshSession;
    expect(first.refreshToken).not.toBe(u.refreshToken);
    const reuse = await gql(RefreshSessionDocument, { refreshToken: u.refreshToken });
    expect(codes(reuse)).toEqual(['UNAUTHENTICATED']);
    expect(reuse.errors![0]!.message).toMatch(/already used/);
    // The legitimate successor is revoked too: the family is gone.
    expect(codes(await gql(RefreshSessionDocument, { refreshToken: first.refreshToken }))).toEqual(['UNAUTHENTICATED']);
  });

  it("logs out: the session's refresh token stops working", async () => {
    const u = await signUp('logout');
    expect((await ok(LogOutDocument, { refreshToken: u.refreshToken })).logOut).toBe(true);
    expect(codes(await gql(RefreshSessionDocument, { refreshToken: u.refreshToken }))).toEqual(['UNAUTHENTICATED']);
  });

  it('updates the profile with validation', async () => {
    const u = await signUp('profile');
    const r = await ok(
      UpdateProfileDocument,
      { input: { displayName: '  New Name ', phone: '+41 79 123 45 67' } },
      { token: u.accessToken },
    );
    expect(r.updateProfile).toEqual({ id: u.user.id, displayName: 'New Name' });
    const bad = await gql(UpdateProfileDocument, { input: { phone: 'call me' } }, { token: u.accessToken });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0]!.extensions!.field).toBe('input.phone');
    expect(codes(await gql(UpdateProfileDocument, { input: { displayName: 'Anon' } }))).toEqual(['UNAUTHENTICATED']);
  });

  it('changes the password and ends every other session, keeping the current one', async () => {
    const u = await signUp('chpw');
    const other = (await ok(LogInDocument, { input: { email: u.email, password: PASSWORD } })).logIn;
    const wrong = await gql(
      ChangePasswordDocument,
      { currentPassword: 'nope-nope-1', newPassword: 'another-pass-9' },
      { token: u.accessToken },
    );
    expect(codes(wrong)).toEqual(['BAD_USER_INPUT']);
    expect(
      (
        await ok(
          ChangePasswordDocument,
          { currentPassword: PASSWORD, newPassword: 'another-pass-9' },
          { token: u.accessToken },
        )
      ).changePassword,
    ).toBe(true);
    expect(codes(await gql(RefreshSessionDocument, { refreshToken: other.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    await ok(RefreshSessionDocument, { refreshToken: u.refreshToken });
    await ok(LogInDocument, { input: { email: u.email, password: 'another-pass-9' } });
  });

  it('lets only an ADMIN set roles', async () => {
    const u = await signUp('role');
    expect(
      codes(await gql(SetUserRoleDocument, { userId: u.user.id, role: 'ADMIN' }, { token: u.accessToken })),
    ).toEqual(['FORBIDDEN']);
    expect(codes(await gql(SetUserRoleDocument, { userId: u.user.id, role: 'ADMIN' }))).toEqual(['UNAUTHENTICATED']);
    const r = await ok(SetUserRoleDocument, { userId: u.user.id, role: 'ADMIN' }, { token: adminToken });
    expect(r.setUserRole).toEqual({ id: u.user.id, role: 'ADMIN' });
    const missing = await gql(
      SetUserRoleDocument,
      { userId: '00000000-0000-4000-8000-000000000000', role: 'USER' },
      { token: adminToken },
    );
    expect(codes(missing)).toEqual(['NOT_FOUND']);
  });

  it('shows email to the user and ADMINs only', async () => {
    const a = await signUp('privacy-a');
    const b = await signUp('privacy-b');
    const query = parse('query($id: ID!) { user(id: $id) { id email displayName } }');
    const asB = await gql<{ user: { email: string | null } }, { id: string }>(
      query,
      { id: a.user.id },
      { token: b.accessToken },
    );
    expect(asB.data!.user.email).toBeNull();
    const asAdmin = await gql<{ user: { email: string | null } }, { id: string }>(
      query,
      { id: a.user.id },
      { token: adminToken },
    );
    expect(asAdmin.data!.user.email).toBe(a.email);
  });

  it('supports an optional TOTP second factor', async () => {
    const u = await signUp('totp');
    const setup = await gql<{ enableTotp: { secret: string } }, object>(
      parse('mutation { enableTotp { secret otpauthUrl } }'),
      {},
      { token: u.accessToken },
    );
    const secret = setup.data!.enableTotp.secret;
    const code = () => new TOTP({ secret: Secret.fromBase32(secret) }).generate();
    const confirm = parse('mutation($code: String!) { confirmTotp(code: $code) }');
    expect(codes(await gql(confirm, { code: '000000' }, { token: u.accessToken }))).toEqual(['BAD_USER_INPUT']);
    expect((await gql(confirm, { code: code() }, { token: u.accessToken })).data).toEqual({ confirmTotp: true });
    const without = await gql(LogInDocument, { input: { email: u.email, password: PASSWORD } });
    expect(codes(without)).toEqual(['UNAUTHENTICATED']);
    expect(without.errors![0]!.message).toMatch(/6-digit code/);
    await ok(LogInDocument, { input: { email: u.email, password: PASSWORD, totp: code() } });
  });

  it('records auth events in an audit log that only ADMINs read', async () => {
    const u = await signUp('audit');
    await gql(LogInDocument, { input: { email: u.email, password: 'wrong-password-1' } });
    await ok(parse('mutation($e: String!) { requestPasswordReset(email: $e) }') as never, { e: u.email } as never);
    const q = parse('query($u: ID) { auditLog(userId: $u, first: 10) { totalCount edges { node { type userId } } } }');
    expect(codes(await gql(q, { u: u.user.id }, { token: u.accessToken }))).toEqual(['FORBIDDEN']);
    const log = await gql<{ auditLog: { edges: { node: { type: string } }[] } }, object>(
      q,
      { u: u.user.id },
      { token: adminToken },
    );
    expect(log.data!.auditLog.edges.map((e) => e.node.type).sort()).toEqual([
      'LOGIN_FAILED',
      'PASSWORD_RESET_REQUESTED',
      'SIGNED_UP',
    ]);
    const reset = await gql(parse('mutation { resetPassword(token: "made-up", newPassword: "whatever-123") }'), {});
    expect(codes(reset)).toEqual(['BAD_USER_INPUT']);
  });

  it('answers malformed requests with a coded error, never a 500', async () => {
    const res = await fetch(inject('routerUrl'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });
});

describe('the users subgraph directly', () => {
  const url = () => inject('subgraphUrls').users!;

  it('refuses requests without a valid router signature', async () => {
    const unsigned = await gql(MeDocument, {}, { url: url() });
    expect(unsigned.status).toBe(401);
    expect(codes(unsigned)).toEqual(['UNAUTHENTICATED']);
    const forged = await signIdentity(
      { userId: '00000000-0000-4000-8000-000000000000', role: 'ADMIN' },
      'x',
      'a-secret-that-is-not-the-routers-secret!',
    );
    const r = await gql(MeDocument, {}, { url: url(), headers: { [IDENTITY_HEADER]: forged } });
    expect(r.status).toBe(401);
  });

  it('resolves 100 User entities with one SQL statement', async () => {
    const users = await Promise.all(Array.from({ length: 5 }, (_, i) => signUp(`entities${i}`)));
    const ids = Array.from({ length: 100 }, (_, i) =>
      i < 5 ? users[i]!.user.id : `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const query = parse('query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id displayName } } }');
    const headers = { [IDENTITY_HEADER]: await signIdentity({}, 'entities-test', inject('signingSecret')) };
    const before = await sqlStatements('users');
    const r = await gql<{ _entities: ({ id: string } | null)[] }, object>(
      query,
      { r: ids.map((id) => ({ __typename: 'User', id })) },
      { url: url(), headers },
    );
    const after = await sqlStatements('users');
    expect(r.errors).toBeUndefined();
    expect(after - before).toBe(1);
    expect(r.data!._entities).toHaveLength(100);
    expect(r.data!._entities.slice(0, 5).map((u) => u!.id)).toEqual(ids.slice(0, 5)); // key order kept
    expect(r.data!._entities.slice(5).every((u) => u === null)).toBe(true);
  });
});
