import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

const statements = new WeakMap<object, Map<number, string>>();

/**
 * The entities of one class whose primary key is one of `ids`, in one statement, merged into
 * `em` (its identity map and transaction) as `em.find` would: the loaders' hot path. Unknown ids
 * are left out; the order is the database's. `ids` must already be valid for the key column
 * (callers drop malformed uuids first).
 *
 * Why not `em.find`: building the statement through MikroORM's query builder and knex cost about
 * 0.5 ms of CPU per lookup, more than the rest of a one-statement GraphQL request (profile in
 * bench/optimisations.md). Here the SQL text is made once per class and id count, the row is read
 * with the same connection (counted and logged like every statement), and `em.map` hydrates it
 * with the same type conversions `em.find` applies.
 */
export async function findByIds<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  ids: readonly string[],
): Promise<T[]> {
  if (!ids.length) return [];
  const rows = await em
    .getConnection()
    .execute<Record<string, unknown>[]>(
      statementFor(em, entity, ids.length),
      [...ids],
      'all',
      em.getTransactionContext(),
    );
  return rows.map((row) => em.map(entity, row as never));
}

function statementFor(em: EntityManager, entity: EntityClass<unknown>, count: number): string {
  let byCount = statements.get(entity);
  if (!byCount) statements.set(entity, (byCount = new Map()));
  let sql = byCount.get(count);
  if (!sql) {
    const meta = em.getMetadata().get(entity.name);
    const [key] = meta.primaryKeys;
    const column = meta.properties[key as keyof typeof meta.properties]!.fieldNames[0]!;
    const table = meta.schema ? `"${meta.schema}"."${meta.tableName}"` : `"${meta.tableName}"`;
    sql = `select * from ${table} where "${column}" in (${Array.from({ length: count }, () => '?').join(', ')})`;
    // Batches of many sizes would keep as many texts: keep the common small ones only.
    if (count <= 64) byCount.set(count, sql);
  }
  return sql;
}
