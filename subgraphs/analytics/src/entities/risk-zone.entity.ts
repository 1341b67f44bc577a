import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** A stored risk zone, as last computed by `recomputeRiskZones`. */
@Entity({ tableName: 'risk_zone' })
export class RiskZoneRow {
  @PrimaryKey({ type: 'string', length: 32 })
  id!: string;

  @Property({ type: 'double' })
  lat!: number;

  @Property({ type: 'double' })
  lng!: number;

  @Property({ type: 'double' })
  radiusKm!: number;

  @Property({ type: 'integer' })
  caseCount!: number;

  @Index()
  @Property({ type: 'double' })
  riskScore!: number;

  @Property({ type: 'string', length: 16 })
  riskLevel!: string;
}

/**
 * The last completed recompute (one row, id 1): when the stored zones were computed. Kept apart
 * from the zones so a recompute rewrites only the zones whose figures changed.
 */
@Entity({ tableName: 'risk_zone_run' })
export class RiskZoneRunRow {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id!: number;

  @Property({ type: 'timestamptz' })
  computedAt!: Date;
}

/** Membership of an open case in a stored zone (a case is in at most one zone). */
@Entity({ tableName: 'risk_zone_case' })
export class RiskZoneCaseRow {
  @PrimaryKey({ type: 'string', length: 64 })
  caseId!: string;

  @Index()
  @Property({ type: 'string', length: 32 })
  zoneId!: string;
}

/**
 * The zones as last computed on a UTC day, kept across days so insights can tell which zones
 * rose since the day before. Written once per day: the first recompute of a later day copies
 * the stored zones into it before replacing them. Derived data: not part of the event projections.
 */
@Entity({ tableName: 'risk_zone_snapshot' })
export class RiskZoneSnapshotRow {
  /** UTC day, YYYY-MM-DD. */
  @PrimaryKey({ type: 'string', length: 10 })
  day!: string;

  @PrimaryKey({ type: 'string', length: 32 })
  zoneId!: string;

  @Property({ type: 'double' })
  riskScore!: number;

  @Property({ type: 'json' })
  caseIds!: string[];
}
