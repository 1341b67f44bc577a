import { Ctx, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { RequestContext } from '@supergraph/kit';
import type { DashboardFigures } from '../dashboard/dashboard.counters';
import { DASHBOARD_TOPIC } from '../dashboard/dashboard.publisher';
import type { AnalyticsLoaders } from '../loaders/analytics.loader';
import type { AnalyticsRuntime } from '../runtime/analytics.runtime';
import { DashboardCountersType } from '../types/analytics.graphql-types';

type Ctx = RequestContext<AnalyticsLoaders>;

/** A dashboard payload as it arrives over pub/sub (JSON: the date is a string). */
type DashboardPayload = Omit<DashboardFigures, 'updatedAt'> & { updatedAt: string | Date };

/** The public live dashboard figures. */
@Resolver()
export class DashboardResolver {
  constructor(private readonly runtime: AnalyticsRuntime) {}

  @Query(() => DashboardCountersType, { description: 'The current dashboard figures (public).' })
  dashboard(@Ctx() ctx: Ctx): Promise<DashboardCountersType> {
    return this.runtime.dashboard.read(ctx.em);
  }

  @Subscription(() => DashboardCountersType, {
    topics: DASHBOARD_TOPIC,
    description:
      'The dashboard figures: the current ones at once, then whenever they change, at most once a second (public).',
  })
  dashboardUpdated(@Root() payload: DashboardPayload): DashboardCountersType {
    return { ...payload, updatedAt: new Date(payload.updatedAt) };
  }
}
