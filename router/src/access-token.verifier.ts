import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { accessTokenVerifyOptions, AppError, LruCache, readAccessTokenClaims, type Identity } from '@supergraph/kit';

/** Verified tokens kept: a client sends the same access token on every request for 15 minutes. */
const CACHE_SIZE = 10_000;

/** The revocations in force at this replica (router/src/auth/revocation.list.ts). */
export interface Revocations {
  refuses(userId: string, sessionId: string | undefined, generation: number): boolean;
}

/** What a verified access token says: who, until when, and which of the user's token generations. */
export interface VerifiedToken {
  identity: Identity;
  /** The token's `exp` in ms (0 when absent). */
  expiresAtMs: number;
  /** The token's `gen` claim (0 when absent). */
  generation: number;
}

/** The UNAUTHENTICATED message for a token whose session ended (logout, revoked, re-issued account). */
export const SESSION_ENDED_MESSAGE = 'This session has ended. Sign in again.';
/** The UNAUTHENTICATED message for an expired token. */
export const TOKEN_EXPIRED_MESSAGE = 'The access token has expired. Refresh the session.';

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
    return (await this.tokenFromAuthorization(header))?.identity ?? {};
  }

  /** The verified token in an `Authorization` header value (null without one); throws as {@link fromAuthorization}. */
  async tokenFromAuthorization(header: string | undefined): Promise<VerifiedToken | null> {
    if (!header) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <access token>".');
    return this.verifyToken(match[1]!);
  }

  /** The identity in a bare access token. A revoked token → UNAUTHENTICATED. */
  async verify(token: string): Promise<Identity> {
    return (await this.verifyToken(token)).identity;
  }

  /** What a bare access token says (the same object for the same token while remembered); throws as {@link verify}. */
  async verifyToken(token: string): Promise<VerifiedToken> {
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAtMs) return this.unlessRevoked(known);
      this.verified.delete(token);
      throw unauthenticated(TOKEN_EXPIRED_MESSAGE);
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
      if (err instanceof errors.JWTExpired) throw unauthenticated(TOKEN_EXPIRED_MESSAGE);
      if (err instanceof errors.JWKSTimeout || err instanceof TypeError) {
        // The key set could not be fetched: the users subgraph is unreachable, not the token bad.
        throw new AppError('Sign-in cannot be checked right now. Try again shortly.', 'SUBGRAPH_UNAVAILABLE', {
          http: { status: 503 },
        });
      }
      throw unauthenticated('The access token is not valid.');
    }
    return this.unlessRevoked(verified);
  }

  /** True when the revocations in force refuse `token` (a logged-out session, a re-issued account). */
  isRevoked(token: VerifiedToken): boolean {
    return this.revocations?.refuses(token.identity.userId!, token.identity.sessionId, token.generation) ?? false;
  }

  private unlessRevoked(token: VerifiedToken): VerifiedToken {
    if (this.isRevoked(token)) throw unauthenticated(SESSION_ENDED_MESSAGE);
    return token;
  }

  /** Number of verified tokens remembered (metrics, tests). */
  get rememberedTokens(): number {
    return this.verified.size;
  }
}

function unauthenticated(message: string): AppError {
  return new AppError(message, 'UNAUTHENTICATED', { http: { status: 401 } });
}
