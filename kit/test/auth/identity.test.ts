import { describe, expect, it } from 'vitest';
import { SignJWT, jwtVerify, decodeProtectedHeader } from 'jose';
import { signIdentity, verifyIdentity } from '../../src/auth/identity';

const SECRET = 'a-test-secret-of-enough-length-0123456789';
const key = new TextEncoder().encode(SECRET);

/** A token signed by jose with the router's claims, `exp` seconds from now. */
function joseToken(claims: Record<string, unknown>, exp: number, alg: 'HS256' | 'HS384' = 'HS256'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setIssuer('supergraph-router')
    .setAudience('supergraph-subgraphs')
    .setSubject('u1')
    .setIssuedAt(now)
    .setExpirationTime(now + exp)
    .sign(key);
}

describe('router identity signatures', () => {
  it('round-trips a signed-in and an anonymous identity with the correlation id', async () => {
    const signedIn = await signIdentity({ userId: 'u1', role: 'ADMIN', sessionId: 's1' }, 'c1', SECRET);
    expect(await verifyIdentity(signedIn, SECRET)).toEqual({
      identity: { userId: 'u1', role: 'ADMIN', sessionId: 's1' },
      correlationId: 'c1',
    });
    const anonymous = await signIdentity({}, 'c2', SECRET);
    expect(await verifyIdentity(anonymous, SECRET)).toEqual({ identity: {}, correlationId: 'c2' });
  });

  it('signs standard HS256 JWTs that jose verifies, with a 60-second lifetime', async () => {
    const token = await signIdentity({ userId: 'u1', role: 'USER' }, 'c1', SECRET);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, key, {
      issuer: 'supergraph-router',
      audience: 'supergraph-subgraphs',
      algorithms: ['HS256'],
    });
    expect(payload).toMatchObject({ sub: 'u1', role: 'USER', cid: 'c1' });
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  it('accepts a token jose signed with the same claims', async () => {
    const token = await joseToken({ role: 'USER', cid: 'c9' }, 60);
    expect(await verifyIdentity(token, SECRET)).toEqual({
      identity: { userId: 'u1', role: 'USER' },
      correlationId: 'c9',
    });
  });

  it('refuses missing, malformed, forged, tampered, expired and other-algorithm tokens', async () => {
    const good = await signIdentity({ userId: 'u1', role: 'USER' }, 'c1', SECRET);
    const [header, payload, signature] = good.split('.');
    const elevated = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'ADMIN' }),
    ).toString('base64url');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const refused = [
      undefined,
      '',
      'not-a-token',
      `${header}.${payload}`,
      await signIdentity({ userId: 'u1', role: 'USER' }, 'c1', 'another-secret-of-enough-length-0123456789'),
      `${header}.${elevated}.${signature}`,
      `${header}.${payload}.${signature!.slice(0, -2)}`,
      none,
      await joseToken({ role: 'USER', cid: 'c1' }, -1),
      await joseToken({ role: 'USER', cid: 'c1' }, 60, 'HS384'),
    ];
    for (const token of refused) expect(await verifyIdentity(token, SECRET), String(token)).toBeNull();
  });
});
