import type { Channel, GeoPoint } from '@supergraph/kit';

/**
 * Plain input records ("facts") and result shapes of the analytics domain.
 *
 * Facts are what the analytics read models hold after consuming the events of the other
 * subgraphs (`case.*`, `sighting.reported`, `notification.*`, `plant.*`). The calculators in
 * this folder are pure functions over these records: no database, no GraphQL, no clock
 * (every time-dependent computation takes `now` explicitly).
 */

/** Gender as recorded on a case. */
export type Gender = 'FEMALE' | 'MALE' | 'OTHER' | 'UNKNOWN';

/** Every gender, in the fixed order used by charts. */
export const GENDERS: readonly Gender[] = ['FEMALE', 'MALE', 'OTHER', 'UNKNOWN'];

/** Lifecycle of a case: open (`MISSING`), recovered (`FOUND`) or closed for another reason. */
export type CaseStatus = 'MISSING' | 'FOUND' | 'CLOSED';

/** One missing-child case as known to analytics. */
export interface CaseFact {
  caseId: string;
  /** When the case was reported to the service. */
  reportedAt: Date;
  /** When the child was last seen (the incident moment). */
  lastSeenAt: Date;
  /** Age in years at the time of the report. */
  age: number;
  gender: Gender;
  /** Where the child was last seen; `null` when unknown. */
  location: GeoPoint | null;
  /** Free label of the kind of place (e.g. "park", "school"); `null` when unknown. */
  locationType: string | null;
  status: CaseStatus;
  /** When the child was found; `null` unless recovered. */
  foundAt: Date | null;
}

/** One sighting reported on a case. */
export interface SightingFact {
  sightingId: string;
  caseId: string;
  seenAt: Date;
  location?: GeoPoint | null;
}

/**
 * Outcome of one delivery attempt: `SENT` (accepted by the channel's provider), `FAILED`
 * (the provider refused or errored), `SKIPPED` (never attempted, e.g. channel not configured
 * or the user opted out).
 */
export type DeliveryStatus = 'SENT' | 'FAILED' | 'SKIPPED';

/** One delivery of one notification on one channel. */
export interface DeliveryFact {
  notificationId?: string;
  channel: Channel;
  status: DeliveryStatus;
  at: Date;
  /** The recipient opened the notification (from `notification.opened`). */
  opened?: boolean;
  /** The recipient acted on it, e.g. followed its link (from `notification.acted`). */
  acted?: boolean;
}

/** One plant in the plants subgraph, as seen through `plant.added` / `plant.removed` / `plant.watered`. */
export interface PlantFact {
  plantId: string;
  addedAt: Date;
  /** When the plant was removed; `null` while it is still kept. */
  removedAt: Date | null;
  /** When the next watering is due; `null` when the plant has no schedule. */
  nextWateringDueAt: Date | null;
}

/** One watering of a plant. */
export interface WateringFact {
  plantId: string;
  wateredAt: Date;
  /** The due date this watering answered; `null` for an unscheduled watering. */
  dueAt: Date | null;
}

/** Age groups of children, in chart order. */
export const AGE_GROUPS = ['0-5', '6-10', '11-14', '15-17'] as const;

/** Label of an age group. */
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** Risk levels, from lowest to highest. */
export type RiskLevel = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** A cluster of open cases close to each other, with its risk assessment. */
export interface RiskZone {
  /** Stable id, see `zoneIdFor` in `risk-zone.calculator.ts`. */
  id: string;
  /** Mean of the member coordinates (degrees, longitude in [-180, 180)). */
  center: GeoPoint;
  /** Largest distance from the center to a member, never below the configured minimum. */
  radiusKm: number;
  caseCount: number;
  /** Member case ids, sorted ascending. */
  caseIds: string[];
  /** 0–100, see `riskScoreOf` in `risk-score.formula.ts`. */
  riskScore: number;
  riskLevel: RiskLevel;
}

/** A chart bucket: a fixed label and how many records fall into it. */
export interface LabelCount {
  label: string;
  count: number;
}

/** Severity of an insight, from most to least urgent: CRITICAL, WARNING, INFO. */
export type InsightSeverity = 'INFO' | 'WARNING' | 'CRITICAL';

/** What an insight is about. */
export type InsightKind = 'WEEKLY_CHANGE' | 'ZONE_RISING' | 'ZONE_SPIKE' | 'LOW_RECOVERY' | 'CHANNEL_FAILING';

/** A short human-readable finding for decision makers. */
export interface Insight {
  kind: InsightKind;
  severity: InsightSeverity;
  message: string;
  /** The zone id, age group label or channel the insight is about, when there is one. */
  subject: string | null;
}
