import { Arg, Ctx, FieldResolver, Float, Mutation, Query, Resolver, Root } from 'type-graphql';
import { check, isAdmin, requireAdmin, type RequestContext } from '@supergraph/kit';
import type { AnalyticsLoaders } from '../loaders/analytics.loader';
import { rebuildReadModels } from '../readmodel/read-model.rebuild';
import type { AnalyticsRuntime } from '../runtime/analytics.runtime';
import { CaseRef, ReadModelRebuildType, RiskZoneType } from '../types/analytics.graphql-types';
import { findZones } from '../zones/risk-zone.store';
import { toRiskZone, type RiskZoneResult } from './zone.mapper';

type Ctx = RequestContext<AnalyticsLoaders>;

/** Risk zones: reading, recomputing, and their member cases; plus the read-model rebuild. */
@Resolver(() => RiskZoneType)
export class RiskZoneResolver {
  constructor(private readonly runtime: AnalyticsRuntime) {}

  @Query(() => [RiskZoneType], {
    description:
      'ADMIN only: the current risk zones, highest risk first, optionally only those scoring at least minScore (0–100).',
  })
  async riskZones(
    @Ctx() ctx: Ctx,
    @Arg('minScore', () => Float, { nullable: true }) minScore?: number | null,
  ): Promise<RiskZoneResult[]> {
    requireAdmin(ctx);
    if (minScore != null) check.number(minScore, 'minScore', 0, 100);
    return (await findZones(ctx.em, minScore)).map((z) => toRiskZone(z));
  }

  @Mutation(() => [RiskZoneType], {
    description: 'ADMIN only: recomputes the risk zones from all open cases now and returns them, highest risk first.',
  })
  async recomputeRiskZones(@Ctx() ctx: Ctx): Promise<RiskZoneResult[]> {
    requireAdmin(ctx);
    const zones = await this.runtime.zones.recomputeNow(ctx.em);
    const computedAt = this.runtime.now();
    return zones.map((z) => toRiskZone(z, computedAt));
  }

  @Mutation(() => ReadModelRebuildType, {
    description:
      'ADMIN only: rebuilds every analytics read model from the logged events and recomputes the risk zones.',
  })
  async rebuildReadModels(@Ctx() ctx: Ctx): Promise<ReadModelRebuildType> {
    requireAdmin(ctx);
    const result = await rebuildReadModels(ctx.em, (em) => this.runtime.zones.recomputeNow(em));
    this.runtime.dashboard.markDirty();
    return result;
  }

  @FieldResolver(() => [CaseRef], {
    description: 'The open cases in the zone (resolved by the cases subgraph), by id.',
  })
  async cases(@Root() zone: RiskZoneResult, @Ctx() ctx: Ctx): Promise<CaseRef[]> {
    const ids = zone.caseIds ?? (await ctx.loaders.caseIdsByZoneId.load(zone.id));
    return ids.map((id) => ({ id }));
  }
}

/** Contributes `Case.riskZone` to the cases subgraph's Case entity. */
@Resolver(() => CaseRef)
export class CaseRiskZoneResolver {
  @FieldResolver(() => RiskZoneType, {
    nullable: true,
    description: 'The risk zone the case is in while open; visible to ADMINs only, null for others.',
  })
  async riskZone(@Root() ref: CaseRef, @Ctx() ctx: Ctx): Promise<RiskZoneResult | null> {
    if (!isAdmin(ctx)) return null;
    const zone = await ctx.loaders.zoneByCaseId.load(ref.id);
    return zone ? toRiskZone(zone) : null;
  }
}
