import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  check,
  isAdmin,
  requireUser,
  type Emit,
  type RequestContext,
} from '@supergraph/kit';
import { Case } from '../entities/case.entity';
import { CaseStatus, SightingStatus } from '../entities/case.enums';
import { Sighting } from '../entities/sighting.entity';
import type { Geocoder } from '../geocoding';
import type { ReportSightingInput } from '../types/case.types';
import { locate, pastInstant, place } from './case.validation';

/** What the sighting rules need besides the request. */
export interface SightingDeps {
  geocoder: Geocoder;
  emit: Emit;
}

/**
 * Records a sighting from anyone (signed in or not) on a case that is still MISSING, geocoding the
 * place when no location is given (a place the geocoder does not know is kept as text only), and
 * emits `sighting.reported` in the same transaction. Returns the sighting and its case.
 */
export async function reportSighting(
  ctx: RequestContext<unknown>,
  deps: SightingDeps,
  input: ReportSightingInput,
): Promise<{ sighting: Sighting; case: Case }> {
  const caseId = check.id(input.caseId, 'input.caseId');
  const seenAt = pastInstant(input.seenAt, 'input.seenAt');
  const where = place(input.place, 'input.place');
  const description = check.optionalText(input.description, 'input.description', { max: 2000 }) ?? null;
  const contact = check.optionalText(input.contact, 'input.contact', { max: 200 }) ?? null;
  const c = await ctx.em.findOne(Case, { id: caseId });
  if (!c) throw new NotFoundError('Case', caseId);
  if (c.status !== CaseStatus.MISSING) {
    throw new ConflictError(
      `Case ${c.reportId} is ${c.status}; sightings are only taken for children still missing.`,
      'input.caseId',
    );
  }
  const point = await locate(
    deps.geocoder,
    where,
    input.location,
    { place: 'input.place', location: 'input.location' },
    false,
  );
  const s = ctx.em.create(Sighting, {
    caseId,
    seenAt,
    place: where,
    lat: point?.lat ?? null,
    lng: point?.lng ?? null,
    description,
    contact,
    reporterId: ctx.identity.userId ?? null,
  });
  deps.emit(
    ctx.em,
    'sighting.reported',
    {
      sightingId: s.id,
      caseId,
      reportId: c.reportId,
      caseReporterId: c.reporterId,
      seenAt: seenAt.toISOString(),
      place: where,
      location: point,
    },
    { correlationId: ctx.correlationId },
  );
  await ctx.em.flush();
  return { sighting: s, case: c };
}

/** True when the caller may see every sighting of `c`, dismissed ones included, and review them. */
export function triagesCase(ctx: Pick<RequestContext<unknown>, 'identity'>, c: Pick<Case, 'reporterId'>): boolean {
  return isAdmin(ctx) || (!!ctx.identity.userId && ctx.identity.userId === c.reporterId);
}

/**
 * Sets a sighting's review status (the case's reporter or an ADMIN; others FORBIDDEN, anonymous
 * UNAUTHENTICATED) with an optional note of up to 1000 characters, on a case in any status.
 * Back to NEW clears the review. The same status again is CONFLICT. Emits `sighting.reviewed`
 * in the same transaction (notifications tells the reporter of a VERIFIED one; analytics counts).
 */
export async function reviewSighting(
  ctx: RequestContext<unknown>,
  emit: Emit,
  id: string,
  status: SightingStatus,
  note: string | null | undefined,
): Promise<Sighting> {
  const reviewerId = requireUser(ctx);
  const sightingId = check.id(id, 'id');
  const cleanNote = check.optionalText(note, 'note', { max: 1000 }) ?? null;
  const s = await ctx.em.findOne(Sighting, { id: sightingId });
  const c = s ? await ctx.em.findOne(Case, { id: s.caseId }) : null;
  if (!s || !c) throw new NotFoundError('Sighting', id);
  if (!triagesCase(ctx, c))
    throw new ForbiddenError('Only the person who reported this case or an ADMIN may review its sightings.');
  if (s.status === status) throw new ConflictError(`The sighting is already ${status}.`, 'status');
  const from = s.status;
  const reviewed = status !== SightingStatus.NEW;
  s.status = status;
  s.reviewedAt = reviewed ? new Date() : null;
  s.reviewedBy = reviewed ? reviewerId : null;
  s.reviewNote = reviewed ? cleanNote : null;
  emit(
    ctx.em,
    'sighting.reviewed',
    {
      sightingId: s.id,
      caseId: c.id,
      reportId: c.reportId,
      caseReporterId: c.reporterId,
      from,
      to: status,
      note: s.reviewNote,
      reviewedBy: reviewerId,
      seenAt: s.seenAt.toISOString(),
      place: s.place,
    },
    { correlationId: ctx.correlationId },
  );
  await ctx.em.flush();
  return s;
}
