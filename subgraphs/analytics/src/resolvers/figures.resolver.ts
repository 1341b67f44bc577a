import { Ctx, Query, Resolver } from 'type-graphql';
import { requireAdmin, type RequestContext } from '@supergraph/kit';
import { demographicsOf, engagementOf, insightsOf, plantCareOf, recoveryOf } from '../figures/analytics.figures';
import { minuteOf } from '../figures/figure.cache';
import type { AnalyticsLoaders } from '../loaders/analytics.loader';
import type { AnalyticsRuntime } from '../runtime/analytics.runtime';
import {
  ChannelEngagementType,
  DemographicsType,
  InsightKindEnum,
  InsightSeverityEnum,
  InsightType,
  PlantCareStatsType,
  RecoveryStatsType,
} from '../types/analytics.graphql-types';

type Ctx = RequestContext<AnalyticsLoaders>;

/** Decision-support figures, for ADMINs. */
@Resolver()
export class FiguresResolver {
  constructor(private readonly runtime: AnalyticsRuntime) {}

  @Query(() => DemographicsType, {
    description: 'ADMIN only: all known cases by age group, gender, hour last seen and kind of place.',
  })
  async demographics(@Ctx() ctx: Ctx): Promise<DemographicsType> {
    requireAdmin(ctx);
    return this.runtime.figures.get(ctx.em, 'demographics', '', () => demographicsOf(ctx.em));
  }

  @Query(() => RecoveryStatsType, {
    description: 'ADMIN only: how often and how fast children are found, overall and per age group.',
  })
  async recoveryStats(@Ctx() ctx: Ctx): Promise<RecoveryStatsType> {
    requireAdmin(ctx);
    const r = await this.runtime.figures.get(ctx.em, 'recovery', '', () => recoveryOf(ctx.em));
    return {
      overallRate: r.overallRate,
      medianHoursToRecovery: r.medianHoursToRecovery,
      recovered: r.recovered,
      stillMissing: r.stillMissing,
      closedWithoutRecovery: r.closedWithoutRecovery,
      byAgeGroup: r.byAgeGroup.map((g) => ({
        label: g.label,
        rate: g.rate,
        total: g.total,
        recovered: g.recovered,
        medianHoursToRecovery: g.medianHoursToRecovery,
      })),
    };
  }

  @Query(() => [InsightType], { description: 'ADMIN only: findings that need attention, most urgent first.' })
  async insights(@Ctx() ctx: Ctx): Promise<InsightType[]> {
    requireAdmin(ctx);
    const now = this.runtime.now();
    const insights = await this.runtime.figures.get(ctx.em, 'insights', minuteOf(now), () => insightsOf(ctx.em, now));
    return insights.map((i) => ({
      kind: i.kind as InsightKindEnum,
      severity: i.severity as InsightSeverityEnum,
      message: i.message,
      subject: i.subject,
    }));
  }

  @Query(() => [ChannelEngagementType], {
    description: 'ADMIN only: deliveries, failures, opens and actions per notification channel (all six channels).',
  })
  async notificationEngagement(@Ctx() ctx: Ctx): Promise<ChannelEngagementType[]> {
    requireAdmin(ctx);
    const stats = await this.runtime.figures.get(ctx.em, 'engagement', '', () => engagementOf(ctx.em));
    return stats.byChannel.map((c) => ({
      channel: c.channel,
      sent: c.sent,
      delivered: c.delivered,
      failed: c.failed,
      opened: c.opened,
      acted: c.acted,
      failureRate: c.failureRate,
      openRate: c.openRate,
    }));
  }

  @Query(() => PlantCareStatsType, {
    description: 'ADMIN only: plants kept, on-time watering rate and overdue plants.',
  })
  async plantCareStats(@Ctx() ctx: Ctx): Promise<PlantCareStatsType> {
    requireAdmin(ctx);
    const now = this.runtime.now();
    const s = await this.runtime.figures.get(ctx.em, 'plantCare', minuteOf(now), () => plantCareOf(ctx.em, now));
    return {
      plants: s.plants,
      waterings: s.waterings,
      onTimeWateringRate: s.onTimeWateringRate,
      overduePlants: s.overduePlants,
    };
  }
}
