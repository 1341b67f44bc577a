import { Ctx, Query, Resolver } from 'type-graphql';
import { requireAdmin, type RequestContext } from '@supergraph/kit';
import { SightingReviewStats } from '../types/sighting-review.graphql-types';

/** Counts of reviewed sightings, for ADMINs. */
@Resolver()
export class SightingReviewResolver {
  @Query(() => SightingReviewStats, {
    description:
      'ADMIN only: sightings verified, dismissed and not reviewed yet, from the read model (`sighting.reviewed` events).',
  })
  async sightingReviewStats(@Ctx() ctx: RequestContext<unknown>): Promise<SightingReviewStats> {
    requireAdmin(ctx);
    const [row] = await ctx.em.execute<Array<{ verified: number; dismissed: number; unreviewed: number }>>(
      `select (select count(*) from "sighting_review_fact" where "status" = 'VERIFIED')::int as "verified",
              (select count(*) from "sighting_review_fact" where "status" = 'DISMISSED')::int as "dismissed",
              (select count(*) from "sighting_fact" s where not exists (
                 select 1 from "sighting_review_fact" r where r."sighting_id" = s."sighting_id" and r."status" <> 'NEW'))::int as "unreviewed"`,
    );
    return row ?? { verified: 0, dismissed: 0, unreviewed: 0 };
  }
}
