import { LruCache } from '@supergraph/kit';

/** A representation the gateway sends to `_entities`: the type name and its key fields. */
export interface Representation {
  __typename: string;
  id?: unknown;
  [field: string]: unknown;
}

/** What a subgraph's `Cache-Control` header allows for one answer. */
export interface CachePolicy {
  maxAgeSeconds: number;
  scope: 'PUBLIC' | 'PRIVATE';
}

interface Entry {
  value: unknown;
  expiresAtMs: number;
  entity: string;
}

/**
 * Entities fetched across subgraphs, kept as long as the owning subgraph's `@cacheControl` hints
 * allow (at most `maxAgeSeconds`) and dropped as soon as an event says the entity changed.
 * An entry belongs to one subgraph, one selection (the fetch's query text) and one representation;
 * a PRIVATE one also to one caller. Values are copied in and out: the gateway merges into what it
 * receives, and no request may see another's merge.
 */
export class EntityCache {
  private readonly entries: LruCache<string, Entry>;
  /** Cache keys by entity (`User:<id>`), so an event drops every selection of that entity. */
  private readonly byEntity = new Map<string, Set<string>>();
  /** When each entity was last invalidated: a fetch that started before must not store its answer. */
  private readonly invalidatedAt = new LruCache<string, number>(10_000);

  constructor(
    capacity: number,
    private readonly maxAgeSeconds: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.entries = new LruCache(capacity);
  }

  /** Whether the cache keeps anything at all. */
  get enabled(): boolean {
    return this.entries.capacity > 0 && this.maxAgeSeconds > 0;
  }

  /** Entries held (metrics, tests). */
  get size(): number {
    return this.entries.size;
  }

  /** A clock reading to hand back to {@link store}: answers older than an invalidation are not kept. */
  mark(): number {
    return this.now();
  }

  /** The cached entity, a copy, or `undefined`. */
  lookup(key: string): unknown {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= this.now()) {
      this.drop(key, entry);
      return undefined;
    }
    return structuredClone(entry.value);
  }

  /** Keeps `value` under `key` for the policy's age (capped), unless `entity` changed since `startedAt`. */
  store(key: string, entity: string, value: unknown, policy: CachePolicy, startedAt: number): void {
    if (!this.enabled || policy.maxAgeSeconds <= 0) return;
    if ((this.invalidatedAt.get(entity) ?? -Infinity) >= startedAt) return;
    const seconds = Math.min(policy.maxAgeSeconds, this.maxAgeSeconds);
    this.entries.set(key, { value: structuredClone(value), expiresAtMs: this.now() + seconds * 1000, entity });
    let keys = this.byEntity.get(entity);
    if (!keys) this.byEntity.set(entity, (keys = new Set()));
    keys.add(key);
    if (this.byEntity.size > this.entries.capacity * 2) this.compact();
  }

  /** Drops every cached selection of the entity `typename` with id `id` (an event said it changed). */
  invalidate(typename: string, id: string): void {
    const entity = entityOf(typename, id);
    this.invalidatedAt.set(entity, this.now());
    for (const key of this.byEntity.get(entity) ?? []) this.entries.delete(key);
    this.byEntity.delete(entity);
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.byEntity.get(entry.entity)?.delete(key);
  }

  /** Forgets index entries whose cache entries the LRU evicted. */
  private compact(): void {
    for (const [entity, keys] of this.byEntity) {
      for (const key of keys) if (!this.entries.has(key)) keys.delete(key);
      if (!keys.size) this.byEntity.delete(entity);
    }
  }
}

/** The entity a representation stands for, as events name it: `<type>:<id>`. */
export function entityOf(typename: string, id: unknown): string {
  return `${typename}:${typeof id === 'string' ? id : JSON.stringify(id)}`;
}

/** The directives of a `Cache-Control` header by lowercased name: the value unquoted, `true` for a bare name. */
export type CacheDirectives = Map<string, string | true>;

/** The directives of a `Cache-Control` header (none for an absent one). */
export function cacheDirectives(header: string | null | undefined): CacheDirectives {
  const directives: CacheDirectives = new Map();
  if (!header) return directives;
  for (const part of header.trim().split(/\s*,\s*/)) {
    const [name, value] = part.split(/\s*=\s*/, 2) as [string, string | undefined];
    if (name) directives.set(name.toLowerCase(), value === undefined ? true : value.replace(/^"|"$/g, ''));
  }
  return directives;
}

/**
 * What a subgraph answer's `Cache-Control` allows the entity cache: `max-age=N` with `public` or
 * `private` (Apollo Server writes it from the answer's `@cacheControl` hints). Nothing for
 * `no-store`, `no-cache`, a zero or missing age.
 */
export function entityCachePolicy(directives: CacheDirectives): CachePolicy | undefined {
  if (directives.has('no-store') || directives.has('no-cache')) return undefined;
  const age = directives.get('max-age');
  const maxAgeSeconds = typeof age === 'string' ? Number(age) : 0;
  if (!Number.isFinite(maxAgeSeconds) || maxAgeSeconds <= 0) return undefined;
  return { maxAgeSeconds, scope: directives.has('private') ? 'PRIVATE' : 'PUBLIC' };
}
