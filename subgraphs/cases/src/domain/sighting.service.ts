import { ConflictError, NotFoundError, check, emitEvent, type RequestContext } from '@supergraph/kit';
import { Case } from '../entities/case.entity';
import { CaseStatus } from '../entities/case.enums';
import { Sighting } from '../entities/sighting.entity';
import type { Geocoder } from '../geocoding';
import type { ReportSightingInput } from '../types/case.types';
import { locate, pastInstant, place } from './case.validation';

/**
 * Records a sighting from anyone (signed in or not) on a case that is still MISSING, geocoding the
 * place when no location is given (a place the geocoder does not know is kept as text only), and
 * emits `sighting.reported` in the same transaction. Returns the sighting and its case.
 */
export async function reportSighting(ctx: RequestContext<unknown>, geocoder: Geocoder, input: ReportSightingInput): Promise<{ sighting: Sighting; case: Case }> {
  const caseId = check.id(input.caseId, 'input.caseId');
  const seenAt = pastInstant(input.seenAt, 'input.seenAt');
  const where = place(input.place, 'input.place');
  const description = check.optionalText(input.description, 'input.description', { max: 2000 }) ?? null;
  const contact = check.optionalText(input.contact, 'input.contact', { max: 200 }) ?? null;
  const c = await ctx.em.findOne(Case, { id: caseId });
  if (!c) throw new NotFoundError('Case', caseId);
  if (c.status !== CaseStatus.MISSING) {
    throw new ConflictError(`Case ${c.reportId} is ${c.status}; sightings are only taken for children still missing.`, 'input.caseId');
  }
  const point = await locate(geocoder, where, input.location, { place: 'input.place', location: 'input.location' }, false);
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
  emitEvent(
    ctx.em,
    'sighting.reported',
    { sightingId: s.id, caseId, reportId: c.reportId, caseReporterId: c.reporterId, seenAt: seenAt.toISOString(), place: where, location: point },
    { producer: 'cases', correlationId: ctx.correlationId },
  );
  await ctx.em.flush();
  return { sighting: s, case: c };
}
