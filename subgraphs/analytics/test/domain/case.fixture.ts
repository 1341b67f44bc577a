import type { CaseFact } from '../../src/domain';

/** Reference "now" shared by the fixtures: Monday 2024-06-10 12:00 UTC. */
export const NOW = new Date('2024-06-10T12:00:00.000Z');

const MS_PER_DAY = 86_400_000;

/** `NOW` minus a number of days (fractional allowed). */
export function daysAgo(days: number): Date {
  return new Date(NOW.getTime() - days * MS_PER_DAY);
}

/** A MISSING case reported and last seen at NOW, age 8, no location, overridable field by field. */
export function makeCase(caseId: string, overrides: Partial<CaseFact> = {}): CaseFact {
  return {
    caseId,
    reportedAt: NOW,
    lastSeenAt: NOW,
    age: 8,
    gender: 'UNKNOWN',
    location: null,
    locationType: null,
    status: 'MISSING',
    foundAt: null,
    ...overrides,
  };
}

/** Seeded PRNG (mulberry32): the same seed yields the same sequence in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviate from a uniform source (Box–Muller). */
export function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
