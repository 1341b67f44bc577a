import type { RiskLevel } from './analytics.types';
import { roundTo } from './statistics.math';

const MS_PER_DAY = 86_400_000;

/** Tunables of the risk score; every field has the documented default. */
export interface RiskScoreOptions {
  /** Days after which an incident weighs half as much (default 30). */
  halfLifeDays?: number;
  /** Weighted incident mass at which the score reaches 1 − 1/e ≈ 63 (default 5). */
  saturation?: number;
}

/** Default half-life of an incident's weight, in days. */
export const DEFAULT_HALF_LIFE_DAYS = 30;
/** Default saturation mass of the score. */
export const DEFAULT_SATURATION = 5;

/**
 * Vulnerability weight of a child by age: 0–5 → 1.0, 6–10 → 0.8, 11–14 → 0.6, 15 and
 * over → 0.5. Younger children weigh more because they cannot look after themselves. An age
 * that is not a finite non-negative number weighs the lowest (0.5): bad data should neither
 * inflate a zone nor drop an incident.
 */
export function vulnerabilityWeight(age: number): number {
  if (!Number.isFinite(age) || age < 0) return 0.5;
  const years = Math.floor(age);
  if (years <= 5) return 1.0;
  if (years <= 10) return 0.8;
  if (years <= 14) return 0.6;
  return 0.5;
}

/**
 * Recency weight of an incident: 0.5 ^ (days since `at` / halfLifeDays), so 1 today,
 * 0.5 after one half-life, 0.25 after two. An incident dated after `now` weighs 1.
 */
export function recencyWeight(at: Date, now: Date, halfLifeDays = DEFAULT_HALF_LIFE_DAYS): number {
  const days = Math.max(0, (now.getTime() - at.getTime()) / MS_PER_DAY);
  return Math.pow(0.5, days / halfLifeDays);
}

/**
 * Risk score of a zone, 0–100, rounded to one decimal:
 *
 *   mass  = Σ over member incidents of vulnerabilityWeight(age) × recencyWeight(lastSeenAt)
 *   score = 100 × (1 − e^(−mass / saturation))
 *
 * The incident count enters through the sum (each incident adds at most 1), recency through
 * the exponential half-life decay and vulnerability through the age weight. The saturating
 * exponential maps any mass into [0, 100) and is monotonic, so more, fresher or younger
 * incidents always score higher, while one old incident stays low. With the default
 * saturation 5: one fresh toddler → 18.1 (LOW), three → 45.1 (MEDIUM), four → 55.1 (HIGH),
 * seven → 75.3 (CRITICAL).
 */
export function riskScoreOf(
  incidents: ReadonlyArray<{ age: number; lastSeenAt: Date }>,
  now: Date,
  options: RiskScoreOptions = {},
): number {
  const halfLife = options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
  const saturation = options.saturation ?? DEFAULT_SATURATION;
  if (!(halfLife > 0) || !(saturation > 0)) {
    throw new RangeError('risk score halfLifeDays and saturation must be positive numbers');
  }
  let mass = 0;
  for (const incident of incidents) {
    mass += vulnerabilityWeight(incident.age) * recencyWeight(incident.lastSeenAt, now, halfLife);
  }
  return roundTo(100 * (1 - Math.exp(-mass / saturation)), 1);
}

/** Level thresholds: LOW < 25 ≤ MEDIUM < 50 ≤ HIGH < 75 ≤ CRITICAL. */
export function riskLevelOf(score: number): RiskLevel {
  if (score >= 75) return 'CRITICAL';
  if (score >= 50) return 'HIGH';
  if (score >= 25) return 'MEDIUM';
  return 'LOW';
}

/** Rank of a level (LOW 0 … CRITICAL 3), to compare levels. */
export function riskLevelRank(level: RiskLevel): number {
  switch (level) {
    case 'LOW':
      return 0;
    case 'MEDIUM':
      return 1;
    case 'HIGH':
      return 2;
    case 'CRITICAL':
      return 3;
    default: {
      const unknown: never = level;
      throw new RangeError(`Unknown risk level ${String(unknown)}`);
    }
  }
}
