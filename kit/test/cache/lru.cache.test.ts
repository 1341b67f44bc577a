import { describe, it, expect } from 'vitest';
import { LruCache } from '../../src/cache/lru.cache';

describe('LruCache', () => {
  it('evicts the least recently used entry at capacity', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // "b" is now the oldest
    cache.set('c', 3);
    expect(cache.has('b')).toBe(false);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('stores null values distinctly from absent keys', () => {
    const cache = new LruCache<string, number | null>(1);
    cache.set('miss', null);
    expect(cache.get('miss')).toBeNull();
    expect(cache.get('other')).toBeUndefined();
  });

  it('stores nothing with capacity 0 and rejects invalid capacities', () => {
    const cache = new LruCache<string, number>(0);
    cache.set('a', 1);
    expect(cache.size).toBe(0);
    expect(() => new LruCache(-1)).toThrow(RangeError);
  });
});
