import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { AppError, LruCache, type Identity } from '@supergraph/kit';

/** Verified tokens kept: a client sends the same access token on every request for 15 minutes. */
const CACHE_SIZE = 10_000;

/**
 * Verifies access tokens issued by the users subgraph against its published JWKS. A verified token
 * is remembered with its identity until it expires (at most 10,000 tokens, least recently used
 * first out), so the ES256 signature is checked once per token rather than once per request. The
 * trade-off: a token stays accepted until its expiry even if its signing key leaves the key set
 * meanwhile, which access tokens already do (they are not revocable before expiry).
 */
export class AccessTokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly verified = new LruCache<string, { identity: Identity; expiresAtMs: number }>(CACHE_SIZE);

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
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAtMs) return known.identity;
      this.verified.delete(token);
      throw unauthenticated('The access token has expired. Refresh the session.');
    }
    try {
      const { payload } = await jwtVerify(token, this.jwks, { issuer: this.issuer, audience: 'supergraph', algorithms: ['ES256'] });
      if (!payload.sub) throw unauthenticated('The access token names no user.');
      const identity: Identity = {
        userId: payload.sub,
        role: payload.role === 'ADMIN' ? 'ADMIN' : 'USER',
        ...(typeof payload.sid === 'string' ? { sessionId: payload.sid } : {}),
      };
      if (typeof payload.exp === 'number') this.verified.set(token, { identity, expiresAtMs: payload.exp * 1000 });
      return identity;
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

  /** Number of verified tokens remembered (metrics, tests). */
  get rememberedTokens(): number {
    return this.verified.size;
  }
}

function unauthenticated(message: string): AppError {
  return new AppError(message, 'UNAUTHENTICATED', { http: { status: 401 } });
}
