import { createHmac, timingSafeEqual } from 'node:crypto';

/** The roles of the platform, owned by users. */
export type Role = 'USER' | 'ADMIN';

/** Who is calling, as the router vouches for it. `userId` is absent for anonymous callers. */
export interface Identity {
  userId?: string;
  role?: Role;
  /** The sign-in session (refresh-token family) of the access token, when known. */
  sessionId?: string;
}

/** Header (HTTP) and connection-param (WebSocket) name that carries the router's signed identity. */
export const IDENTITY_HEADER = 'x-router-identity';
/** Header carrying the correlation id from the router to subgraphs. */
export const CORRELATION_HEADER = 'x-correlation-id';
/** Header carrying the client's User-Agent from the router to subgraphs (users records it per session). */
export const CLIENT_USER_AGENT_HEADER = 'x-client-user-agent';
/** What a subgraph answers (401 UNAUTHENTICATED) to a request without a valid router signature. */
export const UNSIGNED_REQUEST = 'This subgraph only answers requests signed by the router.';

const ISSUER = 'supergraph-router';
const AUDIENCE = 'supergraph-subgraphs';
const LIFETIME_SECONDS = 60;

// A fixed protected header: the router is the only signer, so the verifier accepts nothing else.
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

const hmac = (secret: string, input: string): Buffer => createHmac('sha256', secret).update(input).digest();

/**
 * Signs an identity for one hop from the router to a subgraph: a 60-second HS256 JWT over the
 * user id, role and correlation id, keyed with the secret the router shares with every subgraph.
 *
 * Signed with node:crypto directly rather than through jose, whose Web Crypto HMAC runs every
 * signature as a thread-pool job: this runs on every subgraph fetch and every subgraph request.
 * The tokens are standard JWS (jose verifies them; a test checks both directions).
 */
export async function signIdentity(identity: Identity, correlationId: string, secret: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  const claims = {
    role: identity.role,
    sid: identity.sessionId,
    cid: correlationId,
    iss: ISSUER,
    aud: AUDIENCE,
    sub: identity.userId ?? '',
    iat,
    exp: iat + LIFETIME_SECONDS,
  };
  const input = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${hmac(secret, input).toString('base64url')}`;
}

/** What a subgraph learns from a valid router signature. */
export interface VerifiedIdentity {
  identity: Identity;
  correlationId: string;
}

/**
 * Verifies a router signature. Returns null when it is missing, forged, expired or malformed;
 * a subgraph refuses such a request.
 */
export async function verifyIdentity(token: string | undefined, secret: string): Promise<VerifiedIdentity | null> {
  if (!token) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return null;
  const expected = hmac(secret, `${parts[0]}.${parts[1]}`);
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  const now = Math.floor(Date.now() / 1000);
  if (payload.iss !== ISSUER || payload.aud !== AUDIENCE || typeof payload.exp !== 'number' || payload.exp <= now)
    return null;
  const role = payload.role === 'ADMIN' || payload.role === 'USER' ? payload.role : undefined;
  return {
    identity:
      typeof payload.sub === 'string' && payload.sub
        ? {
            userId: payload.sub,
            role: role ?? 'USER',
            ...(typeof payload.sid === 'string' ? { sessionId: payload.sid } : {}),
          }
        : {},
    correlationId: typeof payload.cid === 'string' ? payload.cid : '',
  };
}
