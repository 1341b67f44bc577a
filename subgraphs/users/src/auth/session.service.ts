import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UnauthenticatedError } from '@supergraph/kit';
import { RefreshToken } from '../entities/refresh-token.entity';
import type { User } from '../entities/user.entity';
import { AuditEventType } from '../entities/audit-event.entity';
import { audit } from './audit.log';

/** SHA-256 of a token, hex; tokens themselves are never stored. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new random opaque token (256 bits, base64url). */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Starts a session family for `user`: persists its first refresh token (not flushed). */
export function openSession(em: EntityManager, user: User, ttlSeconds: number, familyId: string = randomUUID()) {
  const token = newOpaqueToken();
  const row = em.create(RefreshToken, {
    user,
    familyId,
    tokenHash: tokenHash(token),
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
  });
  return { token, familyId, row };
}

/** Revokes every live token of a family (or of all of a user's families except `keepFamilyId`). */
export async function revokeFamily(em: EntityManager, familyId: string, reason: string): Promise<number> {
  return em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date(), revokeReason: reason });
}

/** Revokes all sessions of a user, optionally keeping one family. */
export async function revokeUserSessions(em: EntityManager, userId: string, reason: string, keepFamilyId?: string): Promise<number> {
  const where = keepFamilyId ? { user: userId, revokedAt: null, familyId: { $ne: keepFamilyId } } : { user: userId, revokedAt: null };
  return em.nativeUpdate(RefreshToken, where, { revokedAt: new Date(), revokeReason: reason });
}

/**
 * Rotates a refresh token. The old token is retired with a conditional update, so of two
 * concurrent refreshes only one wins; presenting a retired token again revokes the whole family
 * (the token was stolen, or replayed) and is audited.
 */
export async function rotateRefreshToken(
  em: EntityManager,
  presented: string,
  ttlSeconds: number,
  correlationId: string,
): Promise<{ token: string; familyId: string; user: User }> {
  const row = await em.findOne(RefreshToken, { tokenHash: tokenHash(presented) }, { populate: ['user'] });
  if (!row) throw new UnauthenticatedError('This refresh token is not valid. Sign in again.');
  const user = row.user.getEntity();
  if (row.rotatedAt) {
    await revokeFamily(em, row.familyId, 'reuse');
    audit(em, AuditEventType.REFRESH_REUSE_DETECTED, { userId: user.id, correlationId, detail: { familyId: row.familyId } });
    await em.flush();
    throw new UnauthenticatedError('This refresh token was already used. For your safety every session of that sign-in was ended; sign in again.');
  }
  if (row.revokedAt) throw new UnauthenticatedError('This session has ended. Sign in again.');
  if (row.expiresAt.getTime() <= Date.now()) throw new UnauthenticatedError('This session has expired. Sign in again.');

  const retired = await em.nativeUpdate(RefreshToken, { id: row.id, rotatedAt: null, revokedAt: null }, { rotatedAt: new Date() });
  if (retired !== 1) {
    // Someone rotated it between our read and write: that is reuse too.
    await revokeFamily(em, row.familyId, 'reuse');
    audit(em, AuditEventType.REFRESH_REUSE_DETECTED, { userId: user.id, correlationId, detail: { familyId: row.familyId, concurrent: true } });
    await em.flush();
    throw new UnauthenticatedError('This refresh token was already used. For your safety every session of that sign-in was ended; sign in again.');
  }
  const next = openSession(em, user, ttlSeconds, row.familyId);
  await em.flush();
  return { token: next.token, familyId: row.familyId, user };
}
