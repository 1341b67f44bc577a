import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { AppError, type Identity } from '@supergraph/kit';

/** Verifies access tokens issued by the users subgraph against its published JWKS. */
export class AccessTokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(jwksUrl: string, private readonly issuer: string) {
    this.jwks = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 });
  }

  /**
   * The identity in an `Authorization` header value. No header → anonymous. A malformed, forged
   * or expired token → UNAUTHENTICATED (HTTP 401), so a client knows to refresh rather than
   * silently getting anonymous answers.
   */
  async fromAuthorization(header: string | undefined): Promise<Identity> {
    if (!header) return {};
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <access token>".');
    return this.verify(match[1]!);
  }

  /** The identity in a bare access token (WebSocket connection params). */
  async verify(token: string): Promise<Identity> {
    try {
      const { payload } = await jwtVerify(token, this.jwks, { issuer: this.issuer, audience: 'supergraph', algorithms: ['ES256'] });
      if (!payload.sub) throw unauthenticated('The access token names no user.');
      return {
        userId: payload.sub,
        role: payload.role === 'ADMIN' ? 'ADMIN' : 'USER',
        ...(typeof payload.sid === 'string' ? { sessionId: payload.sid } : {}),
      };
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof errors.JWTExpired) throw unauthenticated('The access token has expired. Refresh the session.');
      if (err instanceof errors.JWKSTimeout || err instanceof TypeError) {
        // The key set could not be fetched: the users subgraph is unreachable, not the token bad.
        throw new AppError('Sign-in cannot be checked right now. Try again shortly.', 'SUBGRAPH_UNAVAILABLE', { http: { status: 503 } });
      }
      throw unauthenticated('The access token is not valid.');
    }
  }
}

function unauthenticated(message: string): AppError {
  return new AppError(message, 'UNAUTHENTICATED', { http: { status: 401 } });
}
