import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { BadUserInputError } from '../errors/errors';

/** Relay page info. */
@ObjectType({ description: 'Where a page ends and whether more follow.' })
@Directive('@shareable')
export class PageInfo {
  @Field(() => Boolean, { description: 'True when items follow this page.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;
}

/** The GraphQL shape of one page of `T`. */
export interface Connection<T> {
  /** A number, or a promise of it read only when a client selects the field (see `toConnection`). */
  totalCount: number | Promise<number>;
  pageInfo: PageInfo;
  edges: { cursor: string; node: T }[];
}

/**
 * Builds the Relay connection object types `<name>Connection` and `<name>Edge` for a node type,
 * so every paginated list in the platform has the same shape.
 */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String, { description: 'Opaque position of this item.' })
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items.` })
  class Page {
    @Field(() => Int, { description: 'How many items match, over all pages.' })
    totalCount!: number | Promise<number>;

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => [Edge])
    edges!: Edge[];
  }
  return Page;
}

/** A keyset position: the sort value of the last item seen and its id (the tie-breaker). */
export interface Keyset {
  value: string | number;
  id: string;
}

/** Encodes a keyset as an opaque cursor. */
export function encodeCursor(k: Keyset): string {
  return Buffer.from(JSON.stringify([k.value, k.id])).toString('base64url');
}

/** Decodes a cursor from `after`; BAD_USER_INPUT when it is not one of ours. */
export function decodeCursor(cursor: string | null | undefined): Keyset | null {
  if (!cursor) return null;
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if ((typeof value === 'string' || typeof value === 'number') && typeof id === 'string') return { value, id };
  } catch {
    // fall through
  }
  throw new BadUserInputError('after is not a valid cursor.', 'after');
}

/** Validates `first` (1..max, default `fallback`). */
export function pageSize(first: number | null | undefined, fallback = 20, max = 100): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw new BadUserInputError(`first must be between 1 and ${max}.`, 'first');
  return first;
}

/**
 * Turns `size + 1` rows fetched in order into a page: the extra row only tells that more follow.
 * `totalCount` may be a function: it then runs (once) only if the client selected `totalCount`,
 * so a page whose total nobody asked for costs no count over all matches.
 */
export function toConnection<T>(
  rows: T[],
  size: number,
  totalCount: number | (() => Promise<number>),
  keyset: (row: T) => Keyset,
): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(keyset(node)), node }));
  const pageInfo = { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null };
  if (typeof totalCount === 'number') return { totalCount, pageInfo, edges };
  let counted: Promise<number> | undefined;
  return {
    get totalCount() {
      return (counted ??= totalCount());
    },
    pageInfo,
    edges,
  };
}

/**
 * True when the field being resolved selects `name` directly (through fragments too, whatever their
 * conditions): lets a connection resolver fold `totalCount` into the page's own statement when a
 * client asks for it, and skip the count when nobody does.
 */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const within = (set: SelectionSetNode | undefined): boolean =>
    !!set?.selections.some((s) => {
      if (s.kind === 'Field') return s.name.value === name;
      if (s.kind === 'InlineFragment') return within(s.selectionSet);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return within(info.fragments[s.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => within(node.selectionSet));
}
