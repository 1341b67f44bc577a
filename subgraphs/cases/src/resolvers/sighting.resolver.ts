import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { GeoPoint, NotFoundError, isAdmin, type RequestContext } from '@supergraph/kit';
import { reportSighting } from '../domain/sighting.service';
import { Case } from '../entities/case.entity';
import { Sighting } from '../entities/sighting.entity';
import type { Geocoder } from '../geocoding';
import type { CasesLoaders } from '../loaders/case.loader';
import { ReportSightingInput } from '../types/case.types';
import { toGeoPoint } from '../types/geo.types';

type Ctx = RequestContext<CasesLoaders>;

/** Reporting sightings and reading them. */
@Resolver(() => Sighting)
export class SightingResolver {
  constructor(private readonly geocoder: Geocoder) {}

  @Mutation(() => Sighting, { description: 'Anyone, signed in or not: reports having seen a missing child. Unknown case → NOT_FOUND.' })
  async reportSighting(@Arg('input', () => ReportSightingInput) input: ReportSightingInput, @Ctx() ctx: Ctx): Promise<Sighting> {
    const { sighting, case: c } = await reportSighting(ctx, this.geocoder, input);
    ctx.loaders.sightingById.prime(sighting.id, sighting);
    ctx.loaders.caseById.prime(c.id, c); // `case { … }` in the answer costs no second read
    return sighting;
  }

  @FieldResolver(() => Case, { description: 'The case the sighting belongs to.' })
  async case(@Root() s: Sighting, @Ctx() ctx: Ctx): Promise<Case> {
    const c = await ctx.loaders.caseById.load(s.caseId);
    if (!c) throw new NotFoundError('Case', s.caseId);
    return c;
  }

  @FieldResolver(() => GeoPoint, { nullable: true, description: 'Where the child was seen; null when neither given nor found by geocoding.' })
  location(@Root() s: Sighting): GeoPoint | null {
    return toGeoPoint(s.lat, s.lng);
  }

  @FieldResolver(() => String, { nullable: true, description: 'How to reach whoever reported the sighting; visible to the case\'s reporter, ADMINs and the sighting\'s own signed-in reporter only.' })
  async contact(@Root() s: Sighting, @Ctx() ctx: Ctx): Promise<string | null> {
    if (s.contact === null) return null;
    const userId = ctx.identity.userId;
    if (isAdmin(ctx) || (userId && userId === s.reporterId)) return s.contact;
    if (!userId) return null;
    const c = await ctx.loaders.caseById.load(s.caseId);
    return c?.reporterId === userId ? s.contact : null;
  }
}
