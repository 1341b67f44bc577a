import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hydrateRows } from './read-only';

type Row = Record<string, unknown>;

const statements = new WeakMap<object, Map<number, string>>();

/** Most ids a shared statement collects from several callers (one caller's own batch is never split). */
const MAX_SHARED_IDS = 500;

/** Lookups of one entity class on one connection that wait for the same statement. */
interface SharedLookup {
  ids: Set<string>;
  rows: Promise<Row[]>;
}

/** The lookup still collecting ids, per connection and entity class. */
const collecting = new WeakMap<object, Map<object, SharedLookup>>();

/**
 * The entities of one class whose primary key is one of `ids`, merged into `em` (its identity map
 * and transaction) as `em.find` would: the loaders' hot path. Outside a transaction they are
 * hydrated by `hydrateRows`: in a query, a flat entity's rows are read-only instead, not in the
 * identity map. Unknown ids are left out; the order
 * is the database's. `ids` must already be valid for the key column and spelled as the database
 * returns them (callers drop malformed uuids and lower-case the others).
 *
 * Outside a transaction, lookups of the same class made by concurrent requests in one turn of the
 * event loop share one statement (`select … where id in (…)` over all their ids, at most 500 per
 * statement); each caller keeps the rows of its own ids, hydrated into its own `em`. A request's
 * DataLoader already batches its own ids; this batches across requests, so that N concurrent
 * requests for N different things cost one statement rather than N. The read is the same one each
 * would have made alone (read committed, after every write that had committed when it was asked
 * for); inside a transaction a lookup always runs on its own, on the transaction's connection.
 *
 * Why not `em.find`: building the statement through MikroORM's query builder and knex cost about
 * 0.5 ms of CPU per lookup, more than the rest of a one-statement GraphQL request (profile in
 * bench/optimisations.md). Here the SQL text is made once per class and id count, the rows are read
 * with the same connection (counted and logged like every statement), and `em.map` hydrates them
 * with the same type conversions `em.find` applies.
 */
export async function findByIds<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  ids: readonly string[],
): Promise<T[]> {
  if (!ids.length) return [];
  const tx = em.getTransactionContext();
  // A transaction writes: what it reads stays managed.
  if (tx) return (await select(em, entity, [...ids])).map((row) => em.map(entity, row as never));
  const rows = await sharedLookup(em, entity, ids);
  const wanted = new Set(ids);
  const key = keyColumn(em, entity);
  return hydrateRows(
    em,
    entity,
    rows.filter((row) => wanted.has(String(row[key]))),
  );
}

/** Adds `ids` to the lookup of this turn (starting one, sent once the turn's I/O is handled). */
function sharedLookup(em: EntityManager, entity: EntityClass<unknown>, ids: readonly string[]): Promise<Row[]> {
  const connection = em.getConnection();
  let byEntity = collecting.get(connection);
  if (!byEntity) collecting.set(connection, (byEntity = new Map()));
  let lookup = byEntity.get(entity);
  if (!lookup || lookup.ids.size + ids.length > MAX_SHARED_IDS) {
    const collected = new Set<string>();
    const started: SharedLookup = {
      ids: collected,
      // setImmediate runs after the I/O callbacks of this loop turn: every request that arrived in it
      // has had the chance to ask.
      rows: new Promise<Row[]>((resolve, reject) =>
        setImmediate(() => {
          if (byEntity.get(entity) === started) byEntity.delete(entity);
          select(em, entity, [...collected]).then(resolve, reject);
        }),
      ),
    };
    byEntity.set(entity, (lookup = started));
  }
  for (const id of ids) lookup.ids.add(id);
  return lookup.rows;
}

/** The rows of `ids`, on `em`'s transaction if it has one (its statement counted as `em`'s, see ServiceEntityManager). */
function select(em: EntityManager, entity: EntityClass<unknown>, ids: string[]): Promise<Row[]> {
  return em.execute<Row[]>(statementFor(em, entity, ids.length), ids);
}

const keyColumns = new WeakMap<object, string>();

/** The primary key's column name: how a row is matched to the ids asked for. */
function keyColumn(em: EntityManager, entity: EntityClass<unknown>): string {
  let column = keyColumns.get(entity);
  if (!column) {
    const meta = em.getMetadata().get(entity.name);
    column = meta.properties[meta.primaryKeys[0] as keyof typeof meta.properties]!.fieldNames[0]!;
    keyColumns.set(entity, column);
  }
  return column;
}

function statementFor(em: EntityManager, entity: EntityClass<unknown>, count: number): string {
  let byCount = statements.get(entity);
  if (!byCount) statements.set(entity, (byCount = new Map()));
  let sql = byCount.get(count);
  if (!sql) {
    const meta = em.getMetadata().get(entity.name);
    const table = meta.schema ? `"${meta.schema}"."${meta.tableName}"` : `"${meta.tableName}"`;
    sql = `select * from ${table} where "${keyColumn(em, entity)}" in (${Array.from({ length: count }, () => '?').join(', ')})`;
    // Batches of many sizes would keep as many texts: keep the common small ones only.
    if (count <= 64) byCount.set(count, sql);
  }
  return sql;
}
