import { SignJWT } from 'jose';
import type { Role } from '../entities/user.entity';
import type { SigningKey } from './signing-key';

/** Audience of access tokens; the router checks it. */
export const ACCESS_TOKEN_AUDIENCE = 'supergraph';

/**
 * Signs a short-lived ES256 access token: `sub` the user id, `role`, and `sid` the sign-in session
 * (refresh-token family) it belongs to.
 */
export function issueAccessToken(
  key: SigningKey,
  claims: { userId: string; role: Role; sessionId: string },
  issuer: string,
  ttlSeconds: number,
): Promise<string> {
  return new SignJWT({ role: claims.role, sid: claims.sessionId })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
    .setSubject(claims.userId)
    .setIssuer(issuer)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key.privateKey);
}
