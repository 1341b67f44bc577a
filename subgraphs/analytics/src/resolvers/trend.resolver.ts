import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { requireAdmin, type RequestContext } from '@supergraph/kit';
import type { AnalyticsLoaders } from '../loaders/analytics.loader';
import type { AnalyticsRuntime } from '../runtime/analytics.runtime';
import { trendRange, MAX_TREND_BUCKETS } from '../trend/trend.buckets';
import { readCaseTrend } from '../trend/trend.reader';
import { TrendBucketType, TrendIntervalEnum } from '../types/trend.graphql-types';

type Ctx = RequestContext<AnalyticsLoaders>;

/** Time series of the case read model, for ADMINs. */
@Resolver()
export class TrendResolver {
  constructor(private readonly runtime: AnalyticsRuntime) {}

  @Query(() => [TrendBucketType], {
    description:
      'ADMIN only: cases reported, found and closed and sightings reported per UTC day or ISO week (Monday 00:00 UTC), oldest ' +
      'first. The first bucket is the one holding `from`, the last the one holding `to` (both included, whole buckets ' +
      `counted); every bucket in between is returned, empty ones with zeros. At most ${MAX_TREND_BUCKETS} buckets; ` +
      '`to` before `from` or a longer span is BAD_USER_INPUT on `to`.',
  })
  async caseTrend(
    @Arg('interval', () => TrendIntervalEnum, { description: 'DAY or WEEK.' }) interval: TrendIntervalEnum,
    @Arg('from', () => Date, { description: 'Any time in the first bucket.' }) from: Date,
    @Arg('to', () => Date, { description: 'Any time in the last bucket, not before `from`.' }) to: Date,
    @Ctx() ctx: Ctx,
  ): Promise<TrendBucketType[]> {
    requireAdmin(ctx);
    const range = trendRange(interval, from, to);
    const key = `${interval}|${range.first.toISOString()}|${range.count}`;
    return this.runtime.figures.get(ctx.em, 'caseTrend', key, () => readCaseTrend(ctx.em, interval, range));
  }
}
