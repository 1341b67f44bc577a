import { describe, expect, it } from 'vitest';
import { cacheDirectives, entityCachePolicy } from '../../src/cache/entity.cache';

describe('Cache-Control of a subgraph answer', () => {
  it('reads directives by lowercased name, values unquoted, bare names as true', () => {
    expect([...cacheDirectives(' Max-Age = "60" ,private,no-transform ')]).toEqual([
      ['max-age', '60'],
      ['private', true],
      ['no-transform', true],
    ]);
    expect(cacheDirectives(null).size).toBe(0);
    expect(cacheDirectives('').size).toBe(0);
  });

  it('lets the entity cache keep an answer with a positive max-age, public unless private', () => {
    expect(entityCachePolicy(cacheDirectives('max-age=60, public'))).toEqual({ maxAgeSeconds: 60, scope: 'PUBLIC' });
    expect(entityCachePolicy(cacheDirectives('max-age=30'))).toEqual({ maxAgeSeconds: 30, scope: 'PUBLIC' });
    expect(entityCachePolicy(cacheDirectives('max-age=30, private'))).toEqual({
      maxAgeSeconds: 30,
      scope: 'PRIVATE',
    });
  });

  it('keeps nothing for no-store, no-cache, a zero, missing or unreadable age', () => {
    for (const header of [
      'max-age=60, no-store',
      'no-cache, max-age=60',
      'max-age=0, public',
      'public',
      'max-age=x',
      undefined,
    ])
      expect(entityCachePolicy(cacheDirectives(header)), String(header)).toBeUndefined();
  });
});
