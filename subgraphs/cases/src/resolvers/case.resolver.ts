import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  BadUserInputError,
  ConnectionType,
  check,
  decodeCursor,
  GeoPoint,
  isAdmin,
  pageSize,
  requireAdmin,
  selectsField,
  toConnection,
  type Connection,
  type RequestContext,
} from '@supergraph/kit';
import { caseQuery } from '../domain/case-filter.validation';
import { caseStats, searchCases } from '../domain/case.search';
import type { CaseRules } from '../domain/case.service';
import { triagesCase } from '../domain/sighting.service';
import { REPORT_ID } from '../domain/report-id';
import { Case } from '../entities/case.entity';
import { CaseOrder, CaseStatus } from '../entities/case.enums';
import { CaseStatusChange } from '../entities/case-status-change.entity';
import { Sighting } from '../entities/sighting.entity';
import type { CasesLoaders } from '../loaders/case.loader';
import type { PhotoStorage } from '../media';
import { CaseFilter, CaseStats, ReportCaseInput, UpdateCaseInput } from '../types/case.types';
import { toGeoPoint } from '../types/geo.types';
import { UserRef } from '../types/user-ref.type';

type Ctx = RequestContext<CasesLoaders>;

const CaseConnection = ConnectionType(Case, 'Case');

/** Largest number of cases `deleteCases` takes at once. */
export const MAX_DELETE = 500;

/** Reading, searching, reporting and changing cases. */
@Resolver(() => Case)
export class CaseResolver {
  constructor(
    private readonly rules: CaseRules,
    private readonly photos: PhotoStorage,
  ) {}

  @Query(() => Case, { nullable: true, description: 'A case by id; null when there is none.' })
  case(@Arg('id', () => ID) id: string, @Ctx() ctx: Ctx): Promise<Case | null> {
    return ctx.loaders.caseById.load(id);
  }

  @Query(() => Case, {
    nullable: true,
    description: 'A case by its public reference (e.g. MC20250314 9F3A0C1B, spaces ignored); null when there is none.',
  })
  async caseByReportId(@Arg('reportId', () => String) reportId: string, @Ctx() ctx: Ctx): Promise<Case | null> {
    const normal = reportId.replace(/\s+/g, '').toUpperCase();
    if (!REPORT_ID.test(normal)) return null;
    const c = await ctx.em.findOne(Case, { reportId: normal });
    if (c) ctx.loaders.caseById.prime(c.id, c);
    return c;
  }

  @Query(() => CaseConnection, {
    description:
      'Cases filtered by status, distance, words, age range, gender and last-seen range (all given filters must match), ' +
      'most recently last seen first unless orderBy says otherwise; keyset-paginated.',
  })
  async cases(
    @Ctx() ctx: Ctx,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => CaseFilter, { nullable: true }) filter?: CaseFilter | null,
    @Arg('orderBy', () => CaseOrder, { nullable: true, description: 'NEWEST by default; NEAREST needs filter.near.' })
    orderBy?: CaseOrder | null,
    @Arg('first', () => Int, { nullable: true, description: '1–100, default 20.' }) first?: number | null,
    @Arg('after', () => String, {
      nullable: true,
      description: 'endCursor of the previous page (of the same filter and order).',
    })
    after?: string | null,
  ): Promise<Connection<Case>> {
    const size = pageSize(first);
    const cursor = decodeCursor(after);
    const { rows, total, keyset } = await searchCases(
      ctx.em,
      caseQuery(filter),
      orderBy ?? CaseOrder.NEWEST,
      size,
      cursor,
      selectsField(info, 'totalCount'),
    );
    for (const c of rows) ctx.loaders.caseById.prime(c.id, c);
    return toConnection(rows, size, total, keyset);
  }

  @Query(() => CaseStats, { description: 'How many cases there are, by status.' })
  caseStats(@Ctx() ctx: Ctx): Promise<CaseStats> {
    return caseStats(ctx.em);
  }

  @Mutation(() => Case, {
    description:
      'Signed-in users: reports a missing child. Without location, lastSeenPlace must be a place the geocoder finds.',
  })
  async reportCase(@Arg('input', () => ReportCaseInput) input: ReportCaseInput, @Ctx() ctx: Ctx): Promise<Case> {
    const c = await this.rules.report(ctx, input);
    ctx.loaders.caseById.prime(c.id, c);
    return c;
  }

  @Mutation(() => Case, { description: "The reporter or an ADMIN: changes a case's details." })
  updateCase(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCaseInput) input: UpdateCaseInput,
    @Ctx() ctx: Ctx,
  ): Promise<Case> {
    return this.rules.update(ctx, id, input);
  }

  @Mutation(() => Case, {
    description:
      'The reporter or an ADMIN: marks a case FOUND or CLOSED (reopening to MISSING: ADMIN only), with an optional note kept in the history.',
  })
  setCaseStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => CaseStatus) status: CaseStatus,
    @Ctx() ctx: Ctx,
    @Arg('note', () => String, { nullable: true, description: 'Why, up to 1000 characters.' }) note?: string | null,
  ): Promise<Case> {
    return this.rules.setStatus(ctx, id, status, note);
  }

  @Mutation(() => Int, {
    description:
      'ADMIN only: deletes cases with their sightings, history and photos; returns how many existed and were deleted.',
  })
  async deleteCases(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: Ctx): Promise<number> {
    const adminId = requireAdmin(ctx);
    if (ids.length > MAX_DELETE)
      throw new BadUserInputError(`ids may name at most ${MAX_DELETE} cases at once.`, 'ids');
    const valid = [...new Set(ids.map((id, i) => check.id(id, `ids[${i}]`)))];
    if (valid.length === 0) return 0;
    const doomed = await ctx.em.find(Case, { id: { $in: valid } }, { fields: ['id', 'photoKey', 'reportId'] });
    if (doomed.length === 0) return 0;
    const deleted = await this.rules.delete(ctx, doomed, adminId);
    // Photos go after the rows: a failed file removal leaves an orphan file, never a case without its photo.
    for (const key of doomed.map((c) => c.photoKey).filter((k): k is string => !!k)) {
      await this.photos
        .delete(key)
        .catch((err: unknown) => ctx.log.warn({ err, key }, 'could not delete the photo of a deleted case'));
    }
    return deleted;
  }

  @FieldResolver(() => GeoPoint, { description: 'Where the child was last seen.' })
  location(@Root() c: Case): GeoPoint {
    return toGeoPoint(c.lat, c.lng)!;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Phone to call with information; visible to the reporter and ADMINs only, null for others.',
  })
  contactPhone(@Root() c: Case, @Ctx() ctx: Ctx): string | null {
    return ctx.identity.userId === c.reporterId || isAdmin(ctx) ? c.contactPhone : null;
  }

  @FieldResolver(() => UserRef, { description: 'Who reported the case.' })
  reporter(@Root() c: Case): UserRef {
    return { id: c.reporterId };
  }

  @FieldResolver(() => [Sighting], {
    description: "Sightings of the child, newest first; DISMISSED ones only for the case's reporter and ADMINs.",
  })
  sightings(
    @Root() c: Case,
    @Ctx() ctx: Ctx,
    @Arg('first', () => Int, { nullable: true, description: '1–100, default 50.' }) first?: number | null,
  ): Promise<Sighting[]> {
    return ctx.loaders.sightingsByCase(pageSize(first, 50), triagesCase(ctx, c)).load(c.id);
  }

  @FieldResolver(() => [CaseStatusChange], {
    description: 'Every status the case went through, oldest first, starting with the report.',
  })
  statusHistory(@Root() c: Case, @Ctx() ctx: Ctx): Promise<CaseStatusChange[]> {
    return ctx.loaders.historyByCase.load(c.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Absolute URL of the child's photo (JPEG); null when none was uploaded. Upload with PUT /media/cases/{id}/photo.",
  })
  photoUrl(@Root() c: Case): string | null {
    return this.rules.urls(c).photo;
  }

  @FieldResolver(() => String, {
    description: 'Absolute URL of the printable PDF poster with a QR code to the case page.',
  })
  posterUrl(@Root() c: Case): string {
    return this.rules.urls(c).poster;
  }

  @FieldResolver(() => String, { description: "Absolute URL of the case's public web page." })
  publicUrl(@Root() c: Case): string {
    return this.rules.urls(c).page;
  }
}

/** Who changed a status. */
@Resolver(() => CaseStatusChange)
export class CaseStatusChangeResolver {
  @FieldResolver(() => UserRef, { description: 'Who changed the status.' })
  changedBy(@Root() change: CaseStatusChange): UserRef {
    return { id: change.changedBy };
  }
}
