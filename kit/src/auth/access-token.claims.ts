import type { Role } from './identity';

/** Audience of access tokens: users issues them for it, the router accepts nothing else. */
export const ACCESS_TOKEN_AUDIENCE = 'supergraph';

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
