import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccountDisabledError, UnauthenticatedError } from '@supergraph/kit';
import { RefreshToken } from '../entities/refresh-token.entity';
import type { User } from '../entities/user.entity';
import { AuditEventType } from '../entities/audit-event.entity';
import { audit } from './audit.log';
import type { TokenRevoker } from './token.revoker';

/** SHA-256 of a token, hex; tokens themselves are never stored. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new random opaque token (256 bits, base64url). */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Longest User-Agent kept for a session. */
const USER_AGENT_MAX = 300;

/** Where a session's token comes from: the client's User-Agent, and the family it continues. */
export interface SessionOrigin {
  userAgent?: string;
  /** The family this token continues (a refresh); absent → a new sign-in session. */
  familyId?: string;
  sessionStartedAt?: Date;
}

/** Persists a refresh token for `user` (not flushed): the first of a new session, or the successor in a family. */
export function openSession(em: EntityManager, user: User, ttlSeconds: number, origin: SessionOrigin = {}) {
  const token = newOpaqueToken();
  const familyId = origin.familyId ?? randomUUID();
  const now = new Date();
  const row = em.create(RefreshToken, {
    user,
    familyId,
    tokenHash: tokenHash(token),
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    userAgent: origin.userAgent?.trim().slice(0, USER_AGENT_MAX) || null,
    sessionStartedAt: origin.sessionStartedAt ?? now,
    createdAt: now,
  });
  return { token, familyId, row };
}

/**
 * The families of `userId` (but `exceptFamilyId`) not revoked yet that may still have live access
 * tokens: access tokens are only issued together with a refresh token, so a family whose newest
 * token is older than the access-token lifetime has none left.
 */
export async function sessionsWithLiveAccess(
  em: EntityManager,
  userId: string,
  accessTtlSeconds: number,
  exceptFamilyId?: string,
): Promise<string[]> {
  const since = new Date(Date.now() - accessTtlSeconds * 1000);
  const others = exceptFamilyId ? { familyId: { $ne: exceptFamilyId } } : {};
  const where = { user: userId, revokedAt: null, createdAt: { $gt: since }, ...others };
  const rows = await em.find(RefreshToken, where, { fields: ['familyId'] });
  return [...new Set(rows.map((r) => r.familyId))];
}

/** Revokes every live token of a family (or of all of a user's families except `keepFamilyId`). */
export async function revokeFamily(em: EntityManager, familyId: string, reason: string): Promise<number> {
  return em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date(), revokeReason: reason });
}

/** Revokes all sessions of a user, optionally keeping one family. */
export async function revokeUserSessions(
  em: EntityManager,
  userId: string,
  reason: string,
  keepFamilyId?: string,
): Promise<number> {
  const where = keepFamilyId
    ? { user: userId, revokedAt: null, familyId: { $ne: keepFamilyId } }
    : { user: userId, revokedAt: null };
  return em.nativeUpdate(RefreshToken, where, { revokedAt: new Date(), revokeReason: reason });
}

/**
 * Rotates a refresh token. The old token is retired with a conditional update, so of two
 * concurrent refreshes only one wins; presenting a retired token again revokes the whole family
 * (the token was stolen, or replayed), audited, and its access tokens revoked through `revoker`, all
 * in one transaction. The successor records `userAgent` and continues the session.
 */
export async function rotateRefreshToken(
  em: EntityManager,
  presented: string,
  ttlSeconds: number,
  correlationId: string,
  userAgent: string | undefined,
  revoker: TokenRevoker,
): Promise<{ token: string; familyId: string; user: User }> {
  const row = await em.findOne(RefreshToken, { tokenHash: tokenHash(presented) }, { populate: ['user'] });
  if (!row) throw new UnauthenticatedError('This refresh token is not valid. Sign in again.');
  const user = row.user.getEntity();
  const endFamily = async (detail: Record<string, unknown>) => {
    await revoker.transaction(em, async (tx) => {
      await revokeFamily(tx, row.familyId, 'reuse');
      audit(tx, AuditEventType.REFRESH_REUSE_DETECTED, { userId: user.id, correlationId, detail });
      revoker.sessions(tx, [row.familyId]);
    });
    return new UnauthenticatedError(
      'This refresh token was already used. For your safety every session of that sign-in was ended; sign in again.',
    );
  };
  if (row.rotatedAt) throw await endFamily({ familyId: row.familyId });
  if (row.revokedAt) throw new UnauthenticatedError('This session has ended. Sign in again.');
  if (row.expiresAt.getTime() <= Date.now()) throw new UnauthenticatedError('This session has expired. Sign in again.');
  // Disabling ends every session; this covers a refresh racing with it.
  if (user.disabled) throw new AccountDisabledError();

  const retired = await em.nativeUpdate(
    RefreshToken,
    { id: row.id, rotatedAt: null, revokedAt: null },
    { rotatedAt: new Date() },
  );
  if (retired !== 1) {
    // Someone rotated it between our read and write: that is reuse too.
    throw await endFamily({ familyId: row.familyId, concurrent: true });
  }
  const next = openSession(em, user, ttlSeconds, {
    familyId: row.familyId,
    sessionStartedAt: row.sessionStartedAt,
    userAgent,
  });
  await em.flush();
  return { token: next.token, familyId: row.familyId, user };
}
