import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { accessTokenVerifyOptions, AppError, LruCache, readAccessTokenClaims, type Identity } from '@supergraph/kit';

/** Verified tokens kept: a client sends the same access token on every request for 15 minutes. */
const CACHE_SIZE = 10_000;

/** The revocations in force at this replica (router/src/auth/revocation.list.ts). */
export interface Revocations {
  refuses(userId: string, sessionId: string | undefined, generation: number): boolean;
}

/** What is remembered of a verified token. */
interface VerifiedToken {
  identity: Identity;
  expiresAtMs: number;
  /** The token's `gen` claim (0 when absent). */
  generation: number;
}

/**
 * Verifies access tokens issued by the users subgraph against its published JWKS. A verified token
 * is remembered with its identity until it expires (at most 10,000 tokens, least recently used
 * first out), so the ES256 signature is checked once per token rather than once per request. The
 * trade-off: a token stays accepted until its expiry even if its signing key leaves the key set
 * meanwhile. Revocation (logout, ended sessions, role changes, disabled accounts) is checked on
 * every request, cached tokens included, against the replica's {@link Revocations}.
 */
export class AccessTokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly verified = new LruCache<string, VerifiedToken>(CACHE_SIZE);

  constructor(
    jwksUrl: string,
    private readonly issuer: string,
    private readonly revocations?: Revocations,
  ) {
    this.jwks = createRemoteJWKSet(new URL(jwksUrl), {
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5_000,
    });
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

  /** The identity in a bare access token (WebSocket connection params). A revoked token → UNAUTHENTICATED. */
  async verify(token: string): Promise<Identity> {
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAtMs) return this.unlessRevoked(known.identity, known.generation);
      this.verified.delete(token);
      throw unauthenticated('The access token has expired. Refresh the session.');
    }
    let verified: VerifiedToken;
    try {
      const { payload } = await jwtVerify(token, this.jwks, accessTokenVerifyOptions(this.issuer));
      const claims = readAccessTokenClaims(payload);
      if (!claims) throw unauthenticated('The access token names no user.');
      verified = { ...claims, expiresAtMs: typeof payload.exp === 'number' ? payload.exp * 1000 : 0 };
      if (typeof payload.exp === 'number') this.verified.set(token, verified);
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof errors.JWTExpired) throw unauthenticated('The access token has expired. Refresh the session.');
      if (err instanceof errors.JWKSTimeout || err instanceof TypeError) {
        // The key set could not be fetched: the users subgraph is unreachable, not the token bad.
        throw new AppError('Sign-in cannot be checked right now. Try again shortly.', 'SUBGRAPH_UNAVAILABLE', {
          http: { status: 503 },
        });
      }
      throw unauthenticated('The access token is not valid.');
    }
    return this.unlessRevoked(verified.identity, verified.generation);
  }

  private unlessRevoked(identity: Identity, generation: number): Identity {
    if (this.revocations?.refuses(identity.userId!, identity.sessionId, generation)) {
      throw unauthenticated('This session has ended. Sign in again.');
    }
    return identity;
  }

  /** Number of verified tokens remembered (metrics, tests). */
  get rememberedTokens(): number {
    return this.verified.size;
  }
}

function unauthenticated(message: string): AppError {
  return new AppError(message, 'UNAUTHENTICATED', { http: { status: 401 } });
}
