import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '../auth/identity';
import type { Database } from '../db/database';
import type { StatementContext } from '../db/statement.origin';
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

/**
 * Makes a request's DataLoaders on its EntityManager fork. Loaders read by key and never depend on
 * who asks (access checks belong in resolvers): the requests of one batch share them
 * (subgraph.batch), so that their entities load in one statement.
 */
export type CreateLoaders<L> = (scope: { em: EntityManager }) => L;

/** The data side of a request: its EntityManager fork and its loaders, shared by a batch's requests. */
export interface RequestScope<L> {
  em: EntityManager;
  loaders: L;
}

/** What {@link requestContext} makes a request's context from. */
export interface RequestContextOptions<L> {
  db: Database;
  identity: Identity;
  correlationId: string;
  /** The service's logger; `ctx.log` is its child. */
  log: Logger;
  createLoaders: CreateLoaders<L>;
  userAgent?: string;
  /** The fork and loaders to use; a fresh pair by default (see requestScope). */
  scope?: RequestScope<L>;
}

/**
 * A fork whose logger context counts and logs every statement as a request's, under
 * `correlationId` (ServiceEntityManager), with its loaders.
 */
export function requestScope<L>(db: Database, createLoaders: CreateLoaders<L>, correlationId: string): RequestScope<L> {
  const loggerContext: StatementContext = { origin: 'request', correlationId };
  const em = db.orm.em.fork({ loggerContext });
  return { em, loaders: createLoaders({ em }) };
}

/**
 * A request's context, as the kit's `/graphql` and a subgraph's own request routes make it: its
 * scope (a fork counting every statement as the request's, and its loaders), the identity, and
 * `log`, a child logger with the correlation id and user made on first use.
 */
export function requestContext<L>(opts: RequestContextOptions<L>): RequestContext<L> {
  const scope = opts.scope ?? requestScope(opts.db, opts.createLoaders, opts.correlationId);
  const context = new SubgraphRequest<L>(scope.em, scope.loaders, opts.identity, opts.correlationId, opts.log);
  if (opts.userAgent) context.userAgent = opts.userAgent;
  return context;
}

/**
 * Most requests log nothing, so `log` is made on first use. The getter is on the prototype:
 * Apollo Server copies the context (`Object.assign` onto an object of the same prototype), which
 * would read a getter of the object itself.
 */
class SubgraphRequest<L> implements RequestContext<L> {
  userAgent?: string;
  private child?: Logger;

  constructor(
    readonly em: EntityManager,
    readonly loaders: L,
    readonly identity: Identity,
    readonly correlationId: string,
    private readonly serviceLog: Logger,
  ) {}

  get log(): Logger {
    const { userId } = this.identity;
    return (this.child ??= this.serviceLog.child({ correlationId: this.correlationId, ...(userId ? { userId } : {}) }));
  }
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
