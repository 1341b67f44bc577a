import { generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  accessTokenClaims,
  accessTokenVerifyOptions,
  readAccessTokenClaims,
} from '../../src/auth/access-token.claims';

const SUBJECT = { userId: 'u-1', role: 'ADMIN' as const, sessionId: 's-1', generation: 3 };

async function signed(payload: Record<string, unknown>, audience = ACCESS_TOKEN_AUDIENCE) {
  const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM);
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM })
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(audience)
    .setExpirationTime('1m')
    .sign(privateKey);
  return { token, publicKey };
}

describe('access token claims', () => {
  it('read back what was signed, through the verifier options', async () => {
    const { token, publicKey } = await signed({ ...accessTokenClaims(SUBJECT) });
    const { payload } = await jwtVerify(token, publicKey, accessTokenVerifyOptions(ACCESS_TOKEN_ISSUER));
    expect(readAccessTokenClaims(payload)).toEqual({
      identity: { userId: 'u-1', role: 'ADMIN', sessionId: 's-1' },
      generation: 3,
    });
  });

  it('are refused for another audience or issuer', async () => {
    const other = await signed({ ...accessTokenClaims(SUBJECT) }, 'someone-else');
    await expect(
      jwtVerify(other.token, other.publicKey, accessTokenVerifyOptions(ACCESS_TOKEN_ISSUER)),
    ).rejects.toThrow();
    const ours = await signed({ ...accessTokenClaims(SUBJECT) });
    await expect(jwtVerify(ours.token, ours.publicKey, accessTokenVerifyOptions('another-issuer'))).rejects.toThrow();
  });

  it('default what older or odd tokens leave out', () => {
    expect(readAccessTokenClaims({ sub: 'u-2', role: 'ROOT' })).toEqual({
      identity: { userId: 'u-2', role: 'USER' },
      generation: 0,
    });
    expect(readAccessTokenClaims({ role: 'ADMIN', sid: 's', gen: 1 })).toBeNull();
    expect(readAccessTokenClaims({ sub: '' })).toBeNull();
  });
});
