import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { InProcessRevocationStore } from '@supergraph/kit';
import { AccessTokenVerifier } from '../../src/access-token.verifier';
import { RevocationList } from '../../src/auth/revocation.list';

const ISSUER = 'supergraph-users';
const inMinutes = (m: number) => Date.now() + m * 60_000;

describe('revocation list (one per router replica)', () => {
  const list = new RevocationList(new InProcessRevocationStore());

  it('refuses every token of a revoked session and nothing else', () => {
    const sid = randomUUID();
    list.add({ kind: 'session', sessionId: sid, expiresAtMs: inMinutes(15) });
    expect(list.refuses('u1', sid, 0)).toBe(true);
    expect(list.refuses('u1', randomUUID(), 0)).toBe(false);
    expect(list.refuses('u1', undefined, 0)).toBe(false);
  });

  it("refuses a user's tokens below the generation, and a lower generation never lowers the bar", () => {
    const userId = randomUUID();
    list.add({ kind: 'user', userId, generation: 2, expiresAtMs: inMinutes(15) });
    list.add({ kind: 'user', userId, generation: 1, expiresAtMs: inMinutes(16) });
    expect([0, 1, 2, 3].map((gen) => list.refuses(userId, undefined, gen))).toEqual([true, true, false, false]);
    expect(list.refuses(randomUUID(), undefined, 0)).toBe(false);
  });

  it('drops entries once they expire (every token they refused has expired by then)', () => {
    const pruned = new RevocationList(new InProcessRevocationStore());
    const sid = randomUUID();
    pruned.add({ kind: 'session', sessionId: sid, expiresAtMs: inMinutes(1) });
    pruned.add({ kind: 'user', userId: 'u2', generation: 1, expiresAtMs: inMinutes(1) });
    pruned.add({ kind: 'user', userId: 'u3', generation: 1, expiresAtMs: inMinutes(30) });
    pruned.prune(inMinutes(2));
    expect(pruned.size).toBe(1);
    expect(pruned.refuses('u2', sid, 0)).toBe(false);
    expect(pruned.refuses('u3', undefined, 0)).toBe(true);
  });

  it('tells its listeners of every revocation taken in, until they stop listening', () => {
    const told = new RevocationList(new InProcessRevocationStore());
    const heard: string[] = [];
    const stop = told.onRevocation((r) => heard.push(r.kind));
    told.add({ kind: 'session', sessionId: randomUUID(), expiresAtMs: inMinutes(15) });
    told.add({ kind: 'user', userId: 'u4', generation: 1, expiresAtMs: inMinutes(15) });
    stop();
    told.add({ kind: 'user', userId: 'u4', generation: 2, expiresAtMs: inMinutes(15) });
    expect(heard).toEqual(['session', 'user']);
  });

  it('loads the revocations in force on start and follows new ones', async () => {
    const users = new InProcessRevocationStore();
    const before = randomUUID();
    await users.revoke([{ kind: 'session', sessionId: before, expiresAtMs: inMinutes(15) }]);
    const replica = new RevocationList(new InProcessRevocationStore());
    await replica.start();
    const after = randomUUID();
    await users.revoke([{ kind: 'session', sessionId: after, expiresAtMs: inMinutes(15) }]);
    expect(replica.refuses('u', before, 0) && replica.refuses('u', after, 0)).toBe(true);
    await replica.stop();
    await users.close();
  });
});

describe('access-token verifier with revocations', () => {
  let jwksServer: Server;
  let sign: (claims: Record<string, unknown>) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwksServer = createServer(
      (_req, res) => void res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    sign = (claims) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(ISSUER)
        .setAudience('supergraph')
        .setSubject('u1')
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + 900)
        .sign(privateKey);
  });
  afterAll(() => jwksServer?.close());

  it('refuses a remembered token as soon as its session or generation is revoked', async () => {
    const list = new RevocationList(new InProcessRevocationStore());
    const verifier = new AccessTokenVerifier(
      `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`,
      ISSUER,
      list,
    );
    const sid = randomUUID();
    const token = await sign({ role: 'USER', sid, gen: 4 });
    const other = await sign({ role: 'USER', sid: randomUUID(), gen: 4 });
    expect(await verifier.verify(token)).toEqual({ userId: 'u1', role: 'USER', sessionId: sid });
    expect(verifier.rememberedTokens).toBe(1);

    list.add({ kind: 'session', sessionId: sid, expiresAtMs: inMinutes(15) });
    await expect(verifier.fromAuthorization(`Bearer ${token}`)).rejects.toMatchObject({
      message: 'This session has ended. Sign in again.',
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
    expect(await verifier.verify(other)).toMatchObject({ userId: 'u1' });

    list.add({ kind: 'user', userId: 'u1', generation: 5, expiresAtMs: inMinutes(15) });
    await expect(verifier.verify(other)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    // A token without the claim counts as generation 0.
    await expect(verifier.verify(await sign({ role: 'USER', sid: randomUUID() }))).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(await verifier.verify(await sign({ role: 'USER', sid: randomUUID(), gen: 5 }))).toMatchObject({
      userId: 'u1',
    });
  });
});
