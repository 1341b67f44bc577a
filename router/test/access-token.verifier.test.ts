import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { AccessTokenVerifier } from '../src/access-token.verifier';

const ISSUER = 'supergraph-users';

describe('access token verification', () => {
  let jwksServer: Server;
  let jwksRequests = 0;
  let sign: (claims: Record<string, unknown>, expiresAt: number) => Promise<string>;
  let verifier: AccessTokenVerifier;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwksServer = createServer((_req, res) => {
      jwksRequests++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    sign = (claims, expiresAt) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(ISSUER)
        .setAudience('supergraph')
        .setSubject('u1')
        .setIssuedAt()
        .setExpirationTime(expiresAt)
        .sign(privateKey);
    verifier = new AccessTokenVerifier(
      `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`,
      ISSUER,
    );
  });
  afterAll(() => {
    vi.useRealTimers();
    jwksServer?.close();
  });

  it('verifies a token once and answers its later requests from memory', async () => {
    const token = await sign({ role: 'ADMIN', sid: 's1' }, Math.floor(Date.now() / 1000) + 900);
    for (let i = 0; i < 3; i++)
      expect(await verifier.fromAuthorization(`Bearer ${token}`)).toEqual({
        userId: 'u1',
        role: 'ADMIN',
        sessionId: 's1',
      });
    expect(verifier.rememberedTokens).toBe(1);
    expect(jwksRequests).toBe(1);
  });

  it('never remembers a forged token', async () => {
    const token = await sign({ role: 'USER' }, Math.floor(Date.now() / 1000) + 900);
    const forged = token.slice(0, token.lastIndexOf('.') + 1) + 'A'.repeat(86);
    for (let i = 0; i < 2; i++)
      await expect(verifier.verify(forged)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(verifier.rememberedTokens).toBe(1); // still only the token of the first test
  });

  it('refuses a remembered token once it has expired', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 60;
    const token = await sign({ role: 'USER' }, expiresAt);
    expect(await verifier.verify(token)).toEqual({ userId: 'u1', role: 'USER' });
    vi.useFakeTimers({ now: expiresAt * 1000 + 1, toFake: ['Date'] });
    await expect(verifier.verify(token)).rejects.toMatchObject({
      message: 'The access token has expired. Refresh the session.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });
});
