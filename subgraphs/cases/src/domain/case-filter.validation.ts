import { BadUserInputError, check } from '@supergraph/kit';
import type { CaseFilter } from '../types/case.types';
import { MAX_SEARCH_WORDS, type CaseQuery } from './case.search';
import { MAX_AGE } from './case.validation';

/**
 * Checks a client's case filter and turns it into a search: BAD_USER_INPUT naming the field for a
 * point off the globe, a radius outside (0, 1000] km, an age outside 0–17, an age or date range
 * whose ends are swapped, or a search longer than 200 characters. Empty search text is no filter.
 */
export function caseQuery(filter: CaseFilter | null | undefined): CaseQuery {
  const q: CaseQuery = {};
  if (!filter) return q;
  if (filter.status) q.status = filter.status;
  if (filter.gender) q.gender = filter.gender;
  if (filter.near) {
    const { lat, lng } = check.location(filter.near, 'filter.near');
    if (!(filter.near.radiusKm > 0 && filter.near.radiusKm <= 1000)) {
      throw new BadUserInputError('filter.near.radiusKm must be more than 0 and at most 1000.', 'filter.near.radiusKm');
    }
    q.near = { lat, lng, radiusKm: filter.near.radiusKm };
  }
  if (filter.search != null && filter.search.trim() !== '') {
    const text = check.text(filter.search, 'filter.search', { max: 200 });
    q.words = text.split(/\s+/).slice(0, MAX_SEARCH_WORDS);
  }
  if (filter.ageMin != null) q.ageMin = check.int(filter.ageMin, 'filter.ageMin', 0, MAX_AGE);
  if (filter.ageMax != null) q.ageMax = check.int(filter.ageMax, 'filter.ageMax', 0, MAX_AGE);
  if (q.ageMin !== undefined && q.ageMax !== undefined && q.ageMax < q.ageMin) {
    throw new BadUserInputError('filter.ageMax must not be below filter.ageMin.', 'filter.ageMax');
  }
  if (filter.lastSeenAfter != null) q.lastSeenAfter = instant(filter.lastSeenAfter, 'filter.lastSeenAfter');
  if (filter.lastSeenBefore != null) q.lastSeenBefore = instant(filter.lastSeenBefore, 'filter.lastSeenBefore');
  if (q.lastSeenAfter && q.lastSeenBefore && q.lastSeenBefore < q.lastSeenAfter) {
    throw new BadUserInputError(
      'filter.lastSeenBefore must not be earlier than filter.lastSeenAfter.',
      'filter.lastSeenBefore',
    );
  }
  return q;
}

function instant(v: Date, field: string): Date {
  if (!(v instanceof Date) || Number.isNaN(v.getTime()))
    throw new BadUserInputError(`${field} must be a date-time.`, field);
  return v;
}
