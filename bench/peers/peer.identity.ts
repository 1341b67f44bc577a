import { randomUUID } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { GraphQLError } from 'graphql';
import {
  ACCESS_TOKEN_ISSUER,
  accessTokenVerifyOptions,
  CORRELATION_HEADER,
  IDENTITY_HEADER,
  readAccessTokenClaims,
  signIdentity,
  type Identity,
} from '@supergraph/kit';

/** What a peer gateway knows about one client request: who calls, and the request's correlation id. */
export interface PeerCaller {
  identity: Identity;
  correlationId: string;
}

/** The settings every peer process reads from its environment (set by bench/peers/peer.process.ts). */
export interface PeerSettings {
  supergraphFile: string;
  secret: string;
  jwksUrl: string;
  issuer: string;
}

/** Reads {@link PeerSettings} from the environment, failing at once when one is missing. */
export function peerSettings(): PeerSettings {
  const need = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  return {
    supergraphFile: need('BENCH_SUPERGRAPH_FILE'),
    secret: need('ROUTER_SIGNING_SECRET'),
    jwksUrl: need('JWKS_URL'),
    issuer: process.env.JWT_ISSUER ?? ACCESS_TOKEN_ISSUER,
  };
}

/**
 * The work our router does per request before it calls a subgraph, for a peer gateway to do too:
 * verify the bearer access token (ES256 against the users subgraph's JWKS; a verified token is
 * remembered until it expires, as the router's verifier does), and sign the caller's identity for
 * every subgraph fetch (`x-router-identity`, HS256, with a fresh correlation id per client request).
 * A bad token is an UNAUTHENTICATED error (HTTP 401), as at the router.
 */
export class PeerIdentity {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly verified = new Map<string, { identity: Identity; expiresAtMs: number }>();

  constructor(private readonly settings: PeerSettings) {
    this.jwks = createRemoteJWKSet(new URL(settings.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  }

  /** The caller of a request with this `Authorization` header value (absent: anonymous). */
  async caller(authorization: string | null | undefined): Promise<PeerCaller> {
    return { identity: authorization ? await this.verify(authorization) : {}, correlationId: randomUUID() };
  }

  /** The headers a subgraph needs for a fetch made on behalf of `caller`. */
  async subgraphHeaders(caller: PeerCaller): Promise<Record<string, string>> {
    return {
      [IDENTITY_HEADER]: await signIdentity(caller.identity, caller.correlationId, this.settings.secret),
      [CORRELATION_HEADER]: caller.correlationId,
    };
  }

  private async verify(authorization: string): Promise<Identity> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <access token>".');
    const token = match[1]!;
    const known = this.verified.get(token);
    if (known && Date.now() < known.expiresAtMs) return known.identity;
    try {
      const { payload } = await jwtVerify(token, this.jwks, accessTokenVerifyOptions(this.settings.issuer));
      const claims = readAccessTokenClaims(payload);
      if (!claims) throw new Error('no subject');
      const { identity } = claims;
      // Bounded like the router's cache; the bench signs in a few hundred users at most.
      if (this.verified.size >= 10_000) this.verified.clear();
      if (typeof payload.exp === 'number') this.verified.set(token, { identity, expiresAtMs: payload.exp * 1000 });
      return identity;
    } catch {
      throw unauthenticated('The access token is not valid.');
    }
  }
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** Tells the parent (bench/peers/peer.process.ts) which port the peer listens on; exits when the parent goes. */
export function reportPort(port: number): void {
  if (!process.send) return void console.log(JSON.stringify({ port }));
  process.send({ port });
  // The bench went away (crashed or was killed): leave no orphan holding a port.
  process.once('disconnect', () => process.exit(0));
}
