import type { EntityManager } from '@mikro-orm/postgresql';
import { check, type Emit } from '@supergraph/kit';
import { Case } from '../entities/case.entity';
import { CaseStatus } from '../entities/case.enums';
import { CaseStatusChange } from '../entities/case-status-change.entity';
import { Sighting } from '../entities/sighting.entity';
import type { Geocoder } from '../geocoding';
import { newReportId } from '../domain/report-id';
import { DEMO_CASES } from './demo-cases.data';

/** Name of the demo-cases step in `seed_run`. */
export const DEMO_SEED = 'demo-cases';

const HOUR = 3_600_000;

/**
 * Creates the demo cases (with history, sightings and their events) attributed to `reporterId`,
 * once per database: a `seed_run` row inserted in the caller's transaction marks it done, so a
 * second call (or a redelivered event) changes nothing. Returns how many cases it created.
 */
export async function seedDemoCasesOnce(
  em: EntityManager,
  { geocoder, emit }: { geocoder: Geocoder; emit: Emit },
  reporterId: string,
  correlationId: string,
): Promise<number> {
  const claimed = await em.execute<{ name: string }[]>(
    `insert into "seed_run" ("name", "ran_at") values (?, now()) on conflict do nothing returning "name"`,
    [DEMO_SEED],
  );
  if (claimed.length === 0) return 0;
  const now = Date.now();
  const events = { correlationId };
  let created = 0;
  for (const demo of DEMO_CASES) {
    const located = await geocoder.geocode(demo.lastSeenPlace);
    if (!located) continue;
    const lastSeenAt = new Date(now - demo.lastSeenHoursAgo * HOUR);
    const c = em.create(Case, {
      reportId: newReportId(lastSeenAt),
      childName: demo.childName,
      age: demo.age,
      gender: demo.gender,
      description: demo.description,
      lastSeenAt,
      lastSeenPlace: demo.lastSeenPlace,
      ...located.location,
      locationType: demo.locationType,
      contactPhone: check.phone(demo.contactPhone),
      reporterId,
      createdAt: new Date(lastSeenAt.getTime() + HOUR / 2),
    });
    em.create(CaseStatusChange, {
      caseId: c.id,
      to: CaseStatus.MISSING,
      changedBy: reporterId,
      changedAt: c.createdAt,
    });
    emit(
      em,
      'case.reported',
      {
        caseId: c.id,
        reportId: c.reportId,
        reporterId,
        childName: c.childName,
        age: c.age,
        gender: c.gender,
        lastSeenAt: lastSeenAt.toISOString(),
        lastSeenPlace: c.lastSeenPlace,
        location: located.location,
        locationType: c.locationType,
        photoUrl: null,
        status: CaseStatus.MISSING,
      },
      events,
    );
    for (const s of demo.sightings) {
      const seen = await geocoder.geocode(s.place);
      const sighting = em.create(Sighting, {
        caseId: c.id,
        seenAt: new Date(now - s.hoursAgo * HOUR),
        place: s.place,
        description: s.description,
        lat: seen?.location.lat ?? null,
        lng: seen?.location.lng ?? null,
      });
      emit(
        em,
        'sighting.reported',
        {
          sightingId: sighting.id,
          caseId: c.id,
          reportId: c.reportId,
          caseReporterId: reporterId,
          seenAt: sighting.seenAt.toISOString(),
          place: s.place,
          location: seen?.location ?? null,
        },
        events,
      );
    }
    if (demo.outcome) {
      const at = new Date(now - demo.outcome.hoursAgo * HOUR);
      c.status = demo.outcome.status;
      if (demo.outcome.status === CaseStatus.FOUND) c.foundAt = at;
      else c.closedAt = at;
      em.create(CaseStatusChange, {
        caseId: c.id,
        from: CaseStatus.MISSING,
        to: demo.outcome.status,
        note: demo.outcome.note,
        changedBy: reporterId,
        changedAt: at,
      });
      emit(
        em,
        'case.status_changed',
        {
          caseId: c.id,
          reportId: c.reportId,
          reporterId,
          from: CaseStatus.MISSING,
          to: demo.outcome.status,
          note: demo.outcome.note,
          changedBy: reporterId,
        },
        events,
      );
    }
    created += 1;
  }
  await em.flush();
  return created;
}
