import type {
  AnyEntity,
  EntityData,
  EntityManager as CoreEntityManager,
  LoggingOptions,
  TransactionOptions,
} from '@mikro-orm/core';
import { EntityManager, type Knex, type QueryResult } from '@mikro-orm/postgresql';

/** What a SQL statement was sent for, as `db_statements_total{origin}` counts it. */
export type StatementOrigin = 'request' | 'event' | 'background';

/** The part of a MikroORM logger context that says whom a statement serves. */
export interface StatementContext {
  origin: StatementOrigin;
  correlationId?: string;
}

/**
 * The EntityManager of every service (MikroORM's `entityManager` option): MikroORM's own, except
 * that raw statements (`execute`) and the BEGIN and COMMIT of `transactional` carry this
 * EntityManager's logger context, as MikroORM's own statements (`find`, `flush`) already do. So a
 * fork made with `{ loggerContext: { origin: 'request', correlationId } }` has every statement it
 * sends counted and logged as the request's, without an AsyncLocalStorage per request (which on
 * Node 20 costs a hook on every promise of the process; bench/optimisations.md, entry 21).
 */
export class ServiceEntityManager extends EntityManager {
  override execute<T extends QueryResult | EntityData<AnyEntity> | EntityData<AnyEntity>[] = EntityData<AnyEntity>[]>(
    query: string | Knex.QueryBuilder | Knex.Raw,
    params: unknown[] = [],
    method: 'all' | 'get' | 'run' = 'all',
    loggerContext?: LoggingOptions,
  ): Promise<T> {
    return super.execute<T>(query, params, method, loggerContext ?? statementContextOf(this));
  }

  override transactional<T>(cb: (em: this) => T | Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return super.transactional(cb, { ...options, loggerContext: options.loggerContext ?? statementContextOf(this) });
  }
}

/**
 * The logger context a statement sent through `em` carries: `em`'s own (never the global
 * EntityManager's lookup of a request context), so the statement counts as whom `em` serves.
 */
export function statementContextOf(em: CoreEntityManager): LoggingOptions {
  return em.getLoggerContext({ disableContextResolution: true });
}

/** The origin a MikroORM logger context names, if it names one. */
export function originOf(context: Record<string, unknown>): StatementOrigin | undefined {
  const { origin } = context;
  return origin === 'request' || origin === 'event' || origin === 'background' ? origin : undefined;
}
