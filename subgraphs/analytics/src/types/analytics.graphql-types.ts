import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Channel, GeoPoint } from '@supergraph/kit';

/** Risk levels of a zone (GraphQL enum `RiskLevel`). */
export enum RiskLevelEnum {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CRITICAL = 'CRITICAL',
}
registerEnumType(RiskLevelEnum, {
  name: 'RiskLevel',
  description: 'How urgent a risk zone is, from its score: LOW < 25 ≤ MEDIUM < 50 ≤ HIGH < 75 ≤ CRITICAL.',
});

/** Severity of an insight (GraphQL enum `InsightSeverity`). */
export enum InsightSeverityEnum {
  INFO = 'INFO',
  WARNING = 'WARNING',
  CRITICAL = 'CRITICAL',
}
registerEnumType(InsightSeverityEnum, {
  name: 'InsightSeverity',
  description: 'How urgent an insight is: CRITICAL, WARNING or INFO.',
});

/** What an insight is about (GraphQL enum `InsightKind`). */
export enum InsightKindEnum {
  WEEKLY_CHANGE = 'WEEKLY_CHANGE',
  ZONE_RISING = 'ZONE_RISING',
  ZONE_SPIKE = 'ZONE_SPIKE',
  LOW_RECOVERY = 'LOW_RECOVERY',
  CHANNEL_FAILING = 'CHANNEL_FAILING',
}
registerEnumType(InsightKindEnum, { name: 'InsightKind', description: 'The kind of finding an insight reports.' });

/** A risk zone entity, owned by analytics. */
@ObjectType('RiskZone', {
  description: 'A cluster of open missing-child cases close to each other, with its risk assessment.',
})
@Directive('@key(fields: "id")')
export class RiskZoneType {
  @Field(() => ID, { description: "Stable while the zone's first-reported case stays in it." })
  id!: string;

  @Field(() => GeoPoint, { description: 'Mean position of the member cases.' })
  center!: GeoPoint;

  @Field(() => Float, { description: 'Distance from the center to the farthest member, at least 0.5 km.' })
  radiusKm!: number;

  @Field(() => Int, { description: 'Open cases in the zone.' })
  caseCount!: number;

  @Field(() => Float, {
    description: '0–100: grows with the number, recency and vulnerability (young age) of the cases.',
  })
  riskScore!: number;

  @Field(() => RiskLevelEnum, { description: 'The level of riskScore.' })
  riskLevel!: RiskLevelEnum;

  @Field(() => Date, { description: 'When the zone was last computed.' })
  computedAt!: Date;
}

/** The cases subgraph's Case, seen by analytics as its key only. */
@ObjectType('Case', { description: 'A missing-child report and its lifecycle.' })
@Directive('@key(fields: "id")')
export class CaseRef {
  @Field(() => ID, { description: 'The case id.' })
  id!: string;
}

/** A chart bucket. */
@ObjectType('LabelCount', { description: 'A chart bucket: a label and how many records fall into it.' })
export class LabelCountType {
  @Field(() => String, { description: 'The bucket label.' })
  label!: string;

  @Field(() => Int, { description: 'Records in the bucket.' })
  count!: number;
}

/** Demographic breakdown of the cases. */
@ObjectType('Demographics', { description: 'Who goes missing, when and where: counts of all known cases.' })
export class DemographicsType {
  @Field(() => Int, { description: 'Cases counted.' })
  total!: number;

  @Field(() => [LabelCountType], { description: 'By age group: 0-5, 6-10, 11-14, 15-17 (always all four).' })
  byAgeGroup!: LabelCountType[];

  @Field(() => Int, { description: 'Cases whose age fits no group.' })
  ageOutOfRange!: number;

  @Field(() => [LabelCountType], { description: 'By gender: FEMALE, MALE, OTHER, UNKNOWN (always all four).' })
  byGender!: LabelCountType[];

  @Field(() => [LabelCountType], { description: 'By UTC hour the child was last seen: "00" … "23" (always all 24).' })
  byHourOfDay!: LabelCountType[];

  @Field(() => [LabelCountType], { description: 'By kind of place last seen, alphabetically, then "unknown".' })
  byLocationType!: LabelCountType[];
}

/** Recovery figures of one age group. */
@ObjectType('AgeGroupRecovery', { description: 'Recovery figures of one age group.' })
export class AgeGroupRecoveryType {
  @Field(() => String, { description: 'The age group: 0-5, 6-10, 11-14 or 15-17.' })
  label!: string;

  @Field(() => Float, { nullable: true, description: 'Found / (found + still missing); null without such cases.' })
  rate!: number | null;

  @Field(() => Int, { description: 'Cases counted (found + still missing).' })
  total!: number;

  @Field(() => Int, { description: 'Children found.' })
  recovered!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Median hours from report to recovery; null when none was found.',
  })
  medianHoursToRecovery!: number | null;
}

/** Recovery statistics. */
@ObjectType('RecoveryStats', { description: 'How often and how fast missing children are found.' })
export class RecoveryStatsType {
  @Field(() => Float, {
    nullable: true,
    description:
      'Found / (found + still missing) over all cases; closed-without-recovery cases are left out. Null without cases.',
  })
  overallRate!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Median hours from report to recovery; null when no child was found yet.',
  })
  medianHoursToRecovery!: number | null;

  @Field(() => Int, { description: 'Children found.' })
  recovered!: number;

  @Field(() => Int, { description: 'Children still missing.' })
  stillMissing!: number;

  @Field(() => Int, { description: 'Cases closed without a recovery (withdrawn, duplicates): in no rate.' })
  closedWithoutRecovery!: number;

  @Field(() => [AgeGroupRecoveryType], { description: 'Per age group, always all four groups.' })
  byAgeGroup!: AgeGroupRecoveryType[];
}

/** A finding for decision makers. */
@ObjectType('Insight', { description: 'A short human-readable finding for the people running the alert service.' })
export class InsightType {
  @Field(() => InsightKindEnum, { description: 'What the finding is about.' })
  kind!: InsightKindEnum;

  @Field(() => InsightSeverityEnum, { description: 'How urgent it is.' })
  severity!: InsightSeverityEnum;

  @Field(() => String, { description: 'The finding, in one sentence.' })
  message!: string;

  @Field(() => String, { nullable: true, description: 'The zone id, age group or channel concerned, if any.' })
  subject!: string | null;
}

/** Engagement of one channel. */
@ObjectType('ChannelEngagement', { description: 'Delivery and engagement counts of one notification channel.' })
export class ChannelEngagementType {
  @Field(() => Channel, { description: 'The channel.' })
  channel!: Channel;

  @Field(() => Int, { description: 'Deliveries handed to the provider: delivered + failed.' })
  sent!: number;

  @Field(() => Int, { description: 'Deliveries the provider accepted.' })
  delivered!: number;

  @Field(() => Int, { description: 'Deliveries that failed (after retries).' })
  failed!: number;

  @Field(() => Int, { description: 'Delivered notifications the recipient opened.' })
  opened!: number;

  @Field(() => Int, { description: 'Delivered notifications the recipient acted on.' })
  acted!: number;

  @Field(() => Float, { nullable: true, description: 'failed / sent; null when nothing was sent.' })
  failureRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'opened / delivered; null when nothing was delivered.' })
  openRate!: number | null;
}

/** Plant care figures. */
@ObjectType('PlantCareStats', { description: 'How well plants are looked after.' })
export class PlantCareStatsType {
  @Field(() => Int, { description: 'Plants currently kept.' })
  plants!: number;

  @Field(() => Int, { description: 'Waterings recorded.' })
  waterings!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Share of waterings with a due date done on or before it; null when none had one.',
  })
  onTimeWateringRate!: number | null;

  @Field(() => Int, { description: 'Kept plants whose watering reminder is due and not yet answered.' })
  overduePlants!: number;
}

/** The live dashboard figures. */
@ObjectType('DashboardCounters', { description: 'The figures of the live dashboard.' })
export class DashboardCountersType {
  @Field(() => Int, { description: 'Children currently missing.' })
  openCases!: number;

  @Field(() => Int, { description: 'Cases reported since 00:00 UTC.' })
  casesToday!: number;

  @Field(() => Int, { description: 'Sightings reported since 00:00 UTC.' })
  sightingsToday!: number;

  @Field(() => Int, { description: 'Missing-child alerts delivered on at least one channel, all time.' })
  alertsSent!: number;

  @Field(() => Int, { description: 'Successful notification deliveries, all time.' })
  notificationsDelivered!: number;

  @Field(() => Date, { description: 'When these figures were read.' })
  updatedAt!: Date;
}

/** Outcome of a read-model rebuild. */
@ObjectType('ReadModelRebuild', { description: 'What a rebuild of the analytics read models did.' })
export class ReadModelRebuildType {
  @Field(() => Int, { description: 'Logged events replayed.' })
  replayedEvents!: number;

  @Field(() => Int, { description: 'Risk zones after the rebuild.' })
  riskZones!: number;
}
