import type { EntityManager } from '@mikro-orm/postgresql';
import { statementContextOf } from './statement.origin';

/**
 * Runs `sql` (with `?` placeholders) on `em`'s transaction, or its connection outside one, with
 * real bind parameters, and returns the rows. Counted and logged like every statement.
 *
 * For statements whose parameters are large, such as a bulk write of thousands of rows passed
 * as one JSON document: `em.execute` inlines every parameter into the SQL text by escaping it
 * on the client, which costs about 100 ms per megabyte; a bound parameter is sent as it is.
 *
 * Always runs in a transaction (its own when `em` has none): the embedded database serves every
 * connection from one session and keeps a connection's messages together only inside a
 * transaction, while a bound statement takes several protocol messages.
 */
export async function executeBound<T extends object = Record<string, unknown>>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<T[]> {
  const knex = em.getTransactionContext();
  if (!knex) return em.transactional((tx) => executeBound<T>(tx as EntityManager, sql, params));
  const connection = em.getConnection();
  // executeQuery is how MikroORM times and logs a statement (our logger counts it); it is
  // protected in the typings, public at runtime.
  const run = (
    connection as unknown as { executeQuery<R>(query: string, cb: () => Promise<R>, context?: object): Promise<R> }
  ).executeQuery;
  const context = statementContextOf(em);
  type Args = [string, () => Promise<T[]>, object];
  return run.call<typeof connection, Args, Promise<T[]>>(
    connection,
    sql,
    async () => {
      const result = (await knex.raw(sql, params as unknown[])) as { rows: T[] };
      return result.rows;
    },
    context,
  );
}
