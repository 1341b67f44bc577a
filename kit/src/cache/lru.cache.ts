/**
 * A least-recently-used cache over `Map` insertion order.
 * `get` refreshes an entry; `set` evicts the least recently used entries beyond `capacity`.
 * A capacity of 0 stores nothing. Values may be `null` (so misses can be cached); an absent key
 * reads as `undefined`.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`LRU cache capacity must be a non-negative integer, got ${capacity}`);
    }
  }

  /** Number of entries currently held. */
  get size(): number {
    return this.entries.size;
  }

  /** Whether `key` is cached, without refreshing it. */
  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** The cached value for `key` (marking it most recently used), or `undefined`. */
  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    // Re-inserting moves the key to the end of the Map's iteration order: the "newest" end.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Stores `value` as the most recently used entry, evicting the oldest ones beyond capacity. */
  set(key: K, value: V): void {
    if (this.capacity === 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
    }
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  /** Removes every entry. */
  clear(): void {
    this.entries.clear();
  }
}
