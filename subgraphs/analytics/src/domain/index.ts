/** Pure analytics computations over plain facts: risk zones, demographics, recovery, insights, engagement, plant care. */
export * from './analytics.types';
export { ageGroupOf } from './age-group.classifier';
export { GeoGrid } from './geo-grid.index';
export { median, populationStdDev } from './statistics.math';
export {
  vulnerabilityWeight,
  recencyWeight,
  riskScoreOf,
  riskLevelOf,
  riskLevelRank,
  DEFAULT_HALF_LIFE_DAYS,
  DEFAULT_SATURATION,
  type RiskScoreOptions,
} from './risk-score.formula';
export {
  computeRiskZones,
  clusterPoints,
  zoneIdFor,
  zonesByCaseId,
  DEFAULT_LINK_KM,
  DEFAULT_MIN_RADIUS_KM,
  type RiskZoneOptions,
  type ZoneCase,
} from './risk-zone.calculator';
export { computeDemographics, HOUR_LABELS, UNKNOWN_LOCATION_TYPE, type Demographics } from './demographics.calculator';
export { computeRecovery, type RecoveryStats, type RecoveryFigures } from './recovery.calculator';
export { detectZoneSpikes, weekIndexOf, type ZoneSpike, type SpikeOptions } from './zone-spike.detector';
export { generateInsights, type InsightInput, type InsightOptions, type ZoneSnapshot } from './insight.generator';
export { computeEngagement, type ChannelEngagement, type EngagementStats } from './engagement.calculator';
export { computePlantCare, type PlantCareStats } from './plant-care.calculator';
