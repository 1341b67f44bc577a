import {
  ReferenceKind,
  SCALAR_TYPES,
  type EntityClass,
  type EntityMetadata,
  type EntityProperty,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

type Row = Record<string, unknown>;

/**
 * Per entity, the prototype of its read-only instances: the class's prototype under a layer of plain
 * writable properties, one per persisted property. MikroORM puts a setter for each property on the
 * class's prototype that redefines the property on the instance at its first assignment (its change
 * tracking); a plain property found first on the way up makes an assignment create an own data
 * property instead, so hydrating costs no `defineProperty` per column.
 */
const shapes = new WeakMap<EntityMetadata, Shape | null>();

interface Shape {
  prototype: object;
  /** The scalar properties em.map coerces before merging (e.g. a numeric string into a number). */
  coerced: EntityProperty[];
}

/**
 * Rows of an entity's table (as `select *` returns them) hydrated into instances of its class for
 * reading only: the same properties with the same values as `em.map` gives (columns to properties,
 * the types' JavaScript values, scalars coerced as MikroORM's validator coerces them), through
 * MikroORM's own compiled hydrator, but not merged into `em`. So nothing tracks them: a change to
 * one is never flushed, and it is not in the identity map (`em.find` of the same row gives another
 * object). Meant for lists a query reads and answers with (a page of search results, the newest
 * items of each parent), where the unit of work's bookkeeping per row (identity map, snapshot,
 * change-tracking accessors defined on each instance) cost more CPU than the statement itself
 * (bench/optimisations.md, entry 15). Never for rows a mutation changes.
 *
 * Only for entities whose persisted properties are scalars or many-to-one keys mapped to their
 * primary key (`mapToPk`): anything else needs the entity factory, and throws on first use.
 */
export function readOnlyRows<T extends object>(em: EntityManager, entity: EntityClass<T>, rows: readonly Row[]): T[] {
  const meta = em.getMetadata().get<T>(entity.name);
  const shape = shapeOf(meta);
  if (!shape)
    throw new Error(`readOnlyRows: ${meta.className}.${notFlat(meta)} is not a scalar; use em.map for this entity`);
  const { prototype, coerced } = shape;
  const driver = em.getDriver();
  const validator = em.getValidator();
  const hydrator = em.getHydrator();
  const factory = em.getEntityFactory();
  return rows.map((row) => {
    const data = driver.mapResult(row as never, meta) as Row;
    for (const prop of coerced)
      if (prop.name in data) data[prop.name] = validator.validateProperty(prop, data[prop.name], data);
    const instance = Object.create(prototype) as T;
    hydrator.hydrate(instance, meta, data as never, factory, 'full', false, true);
    return instance;
  });
}

/**
 * Rows of `entity`'s table as a request should hold them: read-only (`readOnlyRows`) when `em` serves
 * a query (`markQueryOnly`) and the entity is flat, otherwise merged into `em` by `em.map`, for a
 * mutation to change and flush. What every loader and list of a subgraph hydrates with.
 */
export function hydrateRows<T extends object>(em: EntityManager, entity: EntityClass<T>, rows: readonly Row[]): T[] {
  if (queryOnly.has(em) && shapeOf(em.getMetadata().get(entity.name))) return readOnlyRows(em, entity, rows);
  return rows.map((row) => em.map(entity, row as never));
}

/** The first property `readOnlyRows` cannot hydrate, if any. */
function notFlat(meta: EntityMetadata): string | undefined {
  for (const prop of meta.hydrateProps) {
    const flat = prop.kind === ReferenceKind.SCALAR || (prop.kind === ReferenceKind.MANY_TO_ONE && prop.mapToPk);
    if (!flat || prop.embedded || prop.ref) return prop.name;
  }
  return undefined;
}

const queryOnly = new WeakSet<EntityManager>();

/**
 * Marks a request's EntityManager as serving a query, which never writes: the kit's subgraph server
 * does so once the operation is known to be a query, and `hydrateRows` then hydrates read-only.
 */
export function markQueryOnly(em: EntityManager): void {
  queryOnly.add(em);
}

/** True when `em` was marked by {@link markQueryOnly}. */
export function servesQueryOnly(em: EntityManager): boolean {
  return queryOnly.has(em);
}

/** The read-only shape of an entity, made once; null when it is not flat. */
function shapeOf(meta: EntityMetadata): Shape | null {
  const known = shapes.get(meta);
  if (known !== undefined) return known;
  if (notFlat(meta) !== undefined) {
    shapes.set(meta, null);
    return null;
  }
  const layer: PropertyDescriptorMap = {};
  for (const prop of meta.hydrateProps)
    layer[prop.name] = { value: undefined, writable: true, enumerable: false, configurable: true };
  const shape: Shape = {
    prototype: Object.create(meta.prototype as object, layer) as object,
    coerced: meta.hydrateProps.filter(
      (p) =>
        p.kind === ReferenceKind.SCALAR &&
        SCALAR_TYPES.includes(p.runtimeType) &&
        !p.customType &&
        (p.setter || !p.getter),
    ),
  };
  shapes.set(meta, shape);
  return shape;
}
