import { SignJWT } from 'jose';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_TYPE,
  accessTokenClaims,
  type AccessTokenSubject,
} from '@supergraph/kit';
import type { SigningKey } from './signing-key';

/**
 * Signs a short-lived ES256 access token with the claims of the kit's `AccessTokenClaims`: `sub` the
 * user id, `role`, `sid` the sign-in session (refresh-token family) and `gen` the user's token
 * generation, which the router's revocation check compares.
 */
export function issueAccessToken(
  key: SigningKey,
  subject: AccessTokenSubject,
  issuer: string,
  ttlSeconds: number,
): Promise<string> {
  return new SignJWT({ ...accessTokenClaims(subject) })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(issuer)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key.privateKey);
}
