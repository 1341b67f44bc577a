import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '../auth/identity';
import { ForbiddenError, UnauthenticatedError } from '../errors/errors';
import type { Logger } from '../logging/logger';

/**
 * What every resolver of a subgraph gets for one request: its own EntityManager fork (no identity
 * map shared between requests), fresh DataLoaders (batching within the request only), the identity
 * the router vouched for, and a logger carrying the correlation id.
 */
export interface RequestContext<L = unknown> {
  em: EntityManager;
  loaders: L;
  identity: Identity;
  correlationId: string;
  log: Logger;
  /** The client's User-Agent as the router forwarded it, when it sent one. */
  userAgent?: string;
}

/** The signed-in user's id, or UNAUTHENTICATED. */
export function requireUser(ctx: Pick<RequestContext, 'identity'>): string {
  if (!ctx.identity.userId) throw new UnauthenticatedError();
  return ctx.identity.userId;
}

/** The signed-in ADMIN's id; UNAUTHENTICATED when anonymous, FORBIDDEN for other roles. */
export function requireAdmin(ctx: Pick<RequestContext, 'identity'>): string {
  const userId = requireUser(ctx);
  if (ctx.identity.role !== 'ADMIN') throw new ForbiddenError('Only an ADMIN may do this.');
  return userId;
}

/** True when the caller is an ADMIN. */
export function isAdmin(ctx: Pick<RequestContext, 'identity'>): boolean {
  return ctx.identity.role === 'ADMIN';
}
