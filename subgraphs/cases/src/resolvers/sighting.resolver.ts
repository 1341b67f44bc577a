import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { GeoPoint, NotFoundError, isAdmin, type RequestContext } from '@supergraph/kit';
import { reportSighting, reviewSighting, triagesCase, type SightingDeps } from '../domain/sighting.service';
import { Case } from '../entities/case.entity';
import { SightingStatus } from '../entities/case.enums';
import { Sighting } from '../entities/sighting.entity';
import type { CasesLoaders } from '../loaders/case.loader';
import { ReportSightingInput } from '../types/case.types';
import { toGeoPoint } from '../types/geo.types';

type Ctx = RequestContext<CasesLoaders>;

/** Reporting sightings and reading them. */
@Resolver(() => Sighting)
export class SightingResolver {
  constructor(private readonly deps: SightingDeps) {}

  @Mutation(() => Sighting, {
    description: 'Anyone, signed in or not: reports having seen a missing child. Unknown case → NOT_FOUND.',
  })
  async reportSighting(
    @Arg('input', () => ReportSightingInput) input: ReportSightingInput,
    @Ctx() ctx: Ctx,
  ): Promise<Sighting> {
    const { sighting, case: c } = await reportSighting(ctx, this.deps, input);
    ctx.loaders.sightingById.prime(sighting.id, sighting);
    ctx.loaders.caseById.prime(c.id, c); // `case { … }` in the answer costs no second read
    return sighting;
  }

  @Mutation(() => Sighting, {
    description:
      "The case's reporter or an ADMIN (others FORBIDDEN): marks a sighting VERIFIED or DISMISSED, or NEW again, with an " +
      'optional note (up to 1000 characters). Dismissed sightings are hidden from everyone else; a VERIFIED one notifies the reporter.',
  })
  async reviewSighting(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => SightingStatus) status: SightingStatus,
    @Ctx() ctx: Ctx,
    @Arg('note', () => String, {
      nullable: true,
      description: 'Why, up to 1000 characters; seen by the reporter and ADMINs only.',
    })
    note?: string | null,
  ): Promise<Sighting> {
    const s = await reviewSighting(ctx, this.deps.emit, id, status, note);
    ctx.loaders.sightingById.prime(s.id, s);
    return s;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The reviewer's note; visible to the case's reporter and ADMINs only.",
  })
  async reviewNote(@Root() s: Sighting, @Ctx() ctx: Ctx): Promise<string | null> {
    if (s.reviewNote === null) return null;
    if (isAdmin(ctx)) return s.reviewNote;
    const c = ctx.identity.userId ? await ctx.loaders.caseById.load(s.caseId) : null;
    return c && triagesCase(ctx, c) ? s.reviewNote : null;
  }

  @FieldResolver(() => Case, { description: 'The case the sighting belongs to.' })
  async case(@Root() s: Sighting, @Ctx() ctx: Ctx): Promise<Case> {
    const c = await ctx.loaders.caseById.load(s.caseId);
    if (!c) throw new NotFoundError('Case', s.caseId);
    return c;
  }

  @FieldResolver(() => GeoPoint, {
    nullable: true,
    description: 'Where the child was seen; null when neither given nor found by geocoding.',
  })
  location(@Root() s: Sighting): GeoPoint | null {
    return toGeoPoint(s.lat, s.lng);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "How to reach whoever reported the sighting; visible to the case's reporter, ADMINs and the sighting's own signed-in reporter only.",
  })
  async contact(@Root() s: Sighting, @Ctx() ctx: Ctx): Promise<string | null> {
    if (s.contact === null) return null;
    const userId = ctx.identity.userId;
    if (isAdmin(ctx) || (userId && userId === s.reporterId)) return s.contact;
    if (!userId) return null;
    const c = await ctx.loaders.caseById.load(s.caseId);
    return c?.reporterId === userId ? s.contact : null;
  }
}
