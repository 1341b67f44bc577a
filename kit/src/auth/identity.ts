import { SignJWT, jwtVerify } from 'jose';

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

const ISSUER = 'supergraph-router';
const AUDIENCE = 'supergraph-subgraphs';
const LIFETIME_SECONDS = 60;

const keyCache = new Map<string, Uint8Array>();
function key(secret: string): Uint8Array {
  let k = keyCache.get(secret);
  if (!k) keyCache.set(secret, (k = new TextEncoder().encode(secret)));
  return k;
}

/**
 * Signs an identity for one hop from the router to a subgraph: a 60-second HS256 token over the
 * user id, role and correlation id, keyed with the secret the router shares with every subgraph.
 */
export async function signIdentity(identity: Identity, correlationId: string, secret: string): Promise<string> {
  return new SignJWT({ role: identity.role, sid: identity.sessionId, cid: correlationId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(identity.userId ?? '')
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(key(secret));
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
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    const role = payload.role === 'ADMIN' || payload.role === 'USER' ? payload.role : undefined;
    return {
      identity: payload.sub
        ? { userId: payload.sub, role: role ?? 'USER', ...(typeof payload.sid === 'string' ? { sessionId: payload.sid } : {}) }
        : {},
      correlationId: typeof payload.cid === 'string' ? payload.cid : '',
    };
  } catch {
    return null;
  }
}
