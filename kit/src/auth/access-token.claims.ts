import type { Identity, Role } from './identity';

/** Issuer of access tokens unless `JWT_ISSUER` says otherwise: users signs with it, the router and bench peers expect it. */
export const ACCESS_TOKEN_ISSUER = 'supergraph-users';

/** Audience of access tokens: users issues them for it, the router accepts nothing else. */
export const ACCESS_TOKEN_AUDIENCE = 'supergraph';

/** The one signature algorithm of access tokens (users' key set publishes P-256 keys). */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

/** The `typ` header of access tokens (RFC 9068). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/**
 * The claims of an access token (ES256 JWT) that users issues and the router verifies, besides the
 * registered `iss`, `aud`, `iat` and `exp`.
 */
export interface AccessTokenClaims {
  /** The user id. */
  sub: string;
  role: Role;
  /** The sign-in session (refresh-token family) the token belongs to; revoking it refuses the token. */
  sid: string;
  /**
   * The user's token generation when the token was issued. Raising it (role change, disabling,
   * password reset) refuses every older token of the user at once. Absent on older tokens: 0.
   */
  gen: number;
}

/** What an access token says about its holder, as users issues it and the router reads it back. */
export interface AccessTokenSubject {
  userId: string;
  role: Role;
  sessionId: string;
  generation: number;
}

/** The claims (registered `sub` included) users signs for `subject`. */
export function accessTokenClaims(subject: AccessTokenSubject): AccessTokenClaims {
  return { sub: subject.userId, role: subject.role, sid: subject.sessionId, gen: subject.generation };
}

/** The options of a verifier (jose's `jwtVerify`) that accepts only access tokens from `issuer`. */
export function accessTokenVerifyOptions(issuer: string): { issuer: string; audience: string; algorithms: string[] } {
  return { issuer, audience: ACCESS_TOKEN_AUDIENCE, algorithms: [ACCESS_TOKEN_ALGORITHM] };
}

/**
 * The identity and token generation in the payload of an access token whose signature, issuer,
 * audience and expiry were already verified; null when it names no user. A role other than ADMIN
 * reads as USER, a missing `sid` as no session and a missing `gen` as generation 0.
 */
export function readAccessTokenClaims(
  payload: Record<string, unknown>,
): { identity: Identity; generation: number } | null {
  const claims = payload as Partial<Record<keyof AccessTokenClaims, unknown>>;
  if (typeof claims.sub !== 'string' || !claims.sub) return null;
  const identity: Identity = {
    userId: claims.sub,
    role: claims.role === 'ADMIN' ? 'ADMIN' : 'USER',
    ...(typeof claims.sid === 'string' ? { sessionId: claims.sid } : {}),
  };
  return { identity, generation: typeof claims.gen === 'number' ? claims.gen : 0 };
}
