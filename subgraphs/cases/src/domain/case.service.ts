import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  BadUserInputError,
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
import { CaseStatus, STATUS_TRANSITIONS } from '../entities/case.enums';
import { CaseStatusChange } from '../entities/case-status-change.entity';
import type { Geocoder } from '../geocoding';
import type { ReportCaseInput, UpdateCaseInput } from '../types/case.types';
import { casePublicUrls } from './case.urls';
import { age, childName, locate, pastInstant, place } from './case.validation';
import { newReportId } from './report-id';

type Ctx = RequestContext<unknown>;

/** What the case rules need besides the request. */
export interface CaseRulesDeps {
  geocoder: Geocoder;
  publicOrigin: string;
  emit: Emit;
}

/** Tries before giving up on drawing a report id that is not taken yet. */
const REPORT_ID_ATTEMPTS = 5;

/**
 * The rules of reporting and changing cases: validation (BAD_USER_INPUT naming the field), who may
 * do what (the reporter or an ADMIN), the status lifecycle with its history, and the events, which
 * are written in the same transaction as the change (outbox).
 */
export class CaseRules {
  constructor(private readonly deps: CaseRulesDeps) {}

  /** Reports a case for the signed-in user; the place is geocoded when no location is given. */
  async report(ctx: Ctx, input: ReportCaseInput): Promise<Case> {
    const reporterId = requireUser(ctx);
    const fields = {
      childName: childName(input.childName, 'input.childName'),
      age: age(input.age, 'input.age'),
      gender: input.gender,
      description: check.optionalText(input.description, 'input.description', { max: 2000 }) ?? null,
      lastSeenAt: pastInstant(input.lastSeenAt, 'input.lastSeenAt'),
      lastSeenPlace: place(input.lastSeenPlace, 'input.lastSeenPlace'),
      locationType: input.locationType ?? null,
      contactPhone: check.phone(input.contactPhone, 'input.contactPhone'),
    };
    const point = (await locate(
      this.deps.geocoder,
      fields.lastSeenPlace,
      input.location,
      { place: 'input.lastSeenPlace', location: 'input.location' },
      true,
    ))!;
    for (let attempt = 1; ; attempt++) {
      // A fresh unit of work per attempt: a failed flush leaves nothing behind to retry with.
      const em = ctx.em.fork();
      const c = em.create(Case, { ...fields, ...point, reportId: newReportId(), reporterId });
      em.create(CaseStatusChange, {
        caseId: c.id,
        to: CaseStatus.MISSING,
        changedBy: reporterId,
        changedAt: c.createdAt,
      });
      this.deps.emit(
        em,
        'case.reported',
        {
          caseId: c.id,
          reportId: c.reportId,
          reporterId,
          childName: c.childName,
          age: c.age,
          gender: c.gender,
          lastSeenAt: c.lastSeenAt.toISOString(),
          lastSeenPlace: c.lastSeenPlace,
          location: point,
          locationType: c.locationType,
          photoUrl: null,
          status: c.status,
        },
        { correlationId: ctx.correlationId },
      );
      try {
        await em.flush();
        return c;
      } catch (err) {
        if (err instanceof UniqueConstraintViolationException && attempt < REPORT_ID_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  /** Changes the given fields of a case (reporter or ADMIN); emits `case.updated` naming them. */
  async update(ctx: Ctx, id: string, input: UpdateCaseInput): Promise<Case> {
    const c = await this.editable(ctx, id);
    const changes: string[] = [];
    const set = <K extends keyof Case & string>(key: K, value: Case[K]) => {
      const same =
        value instanceof Date && c[key] instanceof Date
          ? value.getTime() === (c[key] as Date).getTime()
          : value === c[key];
      if (!same) {
        c[key] = value;
        changes.push(key);
      }
    };
    const notNull = <T>(v: T | null | undefined, field: string): v is T => {
      if (v === null) throw new BadUserInputError(`${field} cannot be removed.`, field);
      return v !== undefined;
    };
    if (notNull(input.childName, 'input.childName')) set('childName', childName(input.childName, 'input.childName'));
    if (notNull(input.age, 'input.age')) set('age', age(input.age, 'input.age'));
    if (notNull(input.gender, 'input.gender')) set('gender', input.gender);
    if (input.description !== undefined)
      set('description', check.optionalText(input.description, 'input.description', { max: 2000 }) ?? null);
    if (notNull(input.lastSeenAt, 'input.lastSeenAt'))
      set('lastSeenAt', pastInstant(input.lastSeenAt, 'input.lastSeenAt'));
    if (input.locationType !== undefined) set('locationType', input.locationType ?? null);
    if (notNull(input.contactPhone, 'input.contactPhone'))
      set('contactPhone', check.phone(input.contactPhone, 'input.contactPhone'));
    const newPlace = notNull(input.lastSeenPlace, 'input.lastSeenPlace')
      ? place(input.lastSeenPlace, 'input.lastSeenPlace')
      : undefined;
    if (newPlace !== undefined) set('lastSeenPlace', newPlace);
    if (input.location || (newPlace !== undefined && changes.includes('lastSeenPlace'))) {
      const point = (await locate(
        this.deps.geocoder,
        c.lastSeenPlace,
        input.location,
        { place: 'input.lastSeenPlace', location: 'input.location' },
        true,
      ))!;
      if (point.lat !== c.lat || point.lng !== c.lng) {
        c.lat = point.lat;
        c.lng = point.lng;
        changes.push('location');
      }
    }
    if (changes.length === 0) return c;
    this.deps.emit(ctx.em, 'case.updated', { caseId: c.id, changes }, { correlationId: ctx.correlationId });
    await ctx.em.flush();
    return c;
  }

  /**
   * Moves a case along its lifecycle (see STATUS_TRANSITIONS) with an optional note, recording the
   * step in the history. Only the reporter or an ADMIN may; reopening is for ADMINs only.
   */
  async setStatus(ctx: Ctx, id: string, status: CaseStatus, note: string | null | undefined): Promise<Case> {
    const c = await this.editable(ctx, id);
    const cleanNote = check.optionalText(note, 'note', { max: 1000 }) ?? null;
    if (c.status === status) throw new ConflictError(`Case ${c.reportId} is already ${status}.`, 'status');
    if (!STATUS_TRANSITIONS[c.status].includes(status))
      throw new BadUserInputError(`A ${c.status} case cannot become ${status}.`, 'status');
    if (status === CaseStatus.MISSING && !isAdmin(ctx)) throw new ForbiddenError('Only an ADMIN may reopen a case.');
    const from = c.status;
    const now = new Date();
    c.status = status;
    if (status === CaseStatus.FOUND) c.foundAt = now;
    if (status === CaseStatus.CLOSED) c.closedAt = now;
    const changedBy = ctx.identity.userId!;
    ctx.em.create(CaseStatusChange, { caseId: c.id, from, to: status, note: cleanNote, changedBy, changedAt: now });
    this.deps.emit(
      ctx.em,
      'case.status_changed',
      { caseId: c.id, reportId: c.reportId, reporterId: c.reporterId, from, to: status, note: cleanNote, changedBy },
      { correlationId: ctx.correlationId },
    );
    await ctx.em.flush();
    return c;
  }

  /** Sets a case's photo key (after the photo is stored); returns the key it replaces. */
  async setPhoto(em: EntityManager, c: Case, key: string, correlationId: string): Promise<string | null> {
    const previous = c.photoKey;
    c.photoKey = key;
    this.deps.emit(em, 'case.updated', { caseId: c.id, changes: ['photo'] }, { correlationId });
    await em.flush();
    return previous;
  }

  /**
   * Deletes `doomed` with their sightings and history (cascade) on behalf of the ADMIN `adminId`
   * (the caller checked the role); the deletion and its `case.deleted` events commit together, so
   * no consumer keeps a case that is gone. Returns how many cases were deleted.
   */
  async delete(ctx: Ctx, doomed: readonly Pick<Case, 'id' | 'reportId'>[], adminId: string): Promise<number> {
    return ctx.em.transactional(async (tx) => {
      for (const c of doomed) {
        const payload = { caseId: c.id, reportId: c.reportId, deletedBy: adminId };
        this.deps.emit(tx, 'case.deleted', payload, { correlationId: ctx.correlationId });
      }
      const n = await tx.nativeDelete(Case, { id: { $in: doomed.map((c) => c.id) } });
      await tx.flush();
      return n;
    });
  }

  /** The public URLs of a case. */
  urls(c: Case) {
    return casePublicUrls(this.deps.publicOrigin, c);
  }

  /** The case the caller may change: signed in, the case exists, and they reported it or are an ADMIN. */
  private async editable(ctx: Ctx, id: string): Promise<Case> {
    const userId = requireUser(ctx);
    const c = await ctx.em.findOne(Case, { id: check.id(id, 'id') });
    if (!c) throw new NotFoundError('Case', id);
    if (c.reporterId !== userId && !isAdmin(ctx))
      throw new ForbiddenError('Only the person who reported this case or an ADMIN may change it.');
    return c;
  }
}
