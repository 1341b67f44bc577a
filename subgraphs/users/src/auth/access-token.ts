import { SignJWT } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, type AccessTokenClaims } from '@supergraph/kit';
import type { Role } from '../entities/user.entity';
import type { SigningKey } from './signing-key';

/**
 * Signs a short-lived ES256 access token with the claims of {@link AccessTokenClaims}: `sub` the
 * user id, `role`, `sid` the sign-in session (refresh-token family) and `gen` the user's token
 * generation, which the router's revocation check compares.
 */
export function issueAccessToken(
  key: SigningKey,
  claims: { userId: string; role: Role; sessionId: string; generation: number },
  issuer: string,
  ttlSeconds: number,
): Promise<string> {
  const custom: Omit<AccessTokenClaims, 'sub'> = { role: claims.role, sid: claims.sessionId, gen: claims.generation };
  return new SignJWT({ ...custom })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
    .setSubject(claims.userId)
    .setIssuer(issuer)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key.privateKey);
}
