import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, type RequestContext } from '@supergraph/kit';
import type { AnalyticsLoaders } from './loaders/analytics.loader';
import { DashboardResolver } from './resolvers/dashboard.resolver';
import { FiguresResolver } from './resolvers/figures.resolver';
import { CaseRiskZoneResolver, RiskZoneResolver } from './resolvers/risk-zone.resolver';
import { SightingReviewResolver } from './resolvers/sighting-review.resolver';
import { TrendResolver } from './resolvers/trend.resolver';
import { toRiskZone, type RiskZoneResult } from './resolvers/zone.mapper';
import { createRuntime, type AnalyticsRuntime } from './runtime/analytics.runtime';

/**
 * The analytics subgraph schema. `runtime` carries the pub/sub, clock and background services;
 * composition builds the schema with an idle in-process runtime.
 */
export function buildSchema(runtime: AnalyticsRuntime = createRuntime()): Promise<GraphQLSchema> {
  const instances = new Map<Function, unknown>([
    [RiskZoneResolver, new RiskZoneResolver(runtime)],
    [CaseRiskZoneResolver, new CaseRiskZoneResolver()],
    [FiguresResolver, new FiguresResolver(runtime)],
    [DashboardResolver, new DashboardResolver(runtime)],
    [TrendResolver, new TrendResolver(runtime)],
    [SightingReviewResolver, new SightingReviewResolver()],
  ]);
  return buildFederatedSchema(
    {
      resolvers: [
        RiskZoneResolver,
        CaseRiskZoneResolver,
        FiguresResolver,
        DashboardResolver,
        TrendResolver,
        SightingReviewResolver,
      ],
      container: { get: (cls) => instances.get(cls) },
      pubSub: runtime.pubsub,
    },
    {
      RiskZone: {
        // Zones are ADMIN figures: others get null, as from `Case.riskZone`.
        __resolveReference: async (
          ref: { id: string },
          ctx: RequestContext<AnalyticsLoaders>,
        ): Promise<RiskZoneResult | null> => {
          if (ctx.identity.role !== 'ADMIN') return null;
          const zone = await ctx.loaders.zoneById.load(ref.id);
          return zone ? toRiskZone(zone) : null;
        },
      },
      // Case is owned by cases; analytics only needs the key to add `riskZone`.
      Case: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
    },
  );
}
