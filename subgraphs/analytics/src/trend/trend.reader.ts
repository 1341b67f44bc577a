import type { EntityManager } from '@mikro-orm/postgresql';
import { stepMs, type TrendRange, type TrendStep } from './trend.buckets';

/** One bucket of a case trend. */
export interface TrendBucket {
  start: Date;
  reported: number;
  found: number;
  closed: number;
  sightings: number;
}

type Measure = Exclude<keyof TrendBucket, 'start'>;

/** The timestamp column of the read model each measure counts. */
const MEASURES: ReadonlyArray<[Measure, string, string]> = [
  ['reported', 'case_fact', 'reported_at'],
  ['found', 'case_fact', 'found_at'],
  ['closed', 'case_fact', 'closed_at'],
  ['sightings', 'sighting_fact', 'reported_at'],
];

/**
 * Counts the read model per bucket of `range`, in one statement: cases reported, cases whose
 * latest finding (`found_at`) or closing (`closed_at`) falls in the bucket, and sightings
 * reported. Deleted cases are not in the read model, so they count nowhere. Every bucket of the
 * range is returned, oldest first, with zeros where nothing happened.
 */
export async function readCaseTrend(em: EntityManager, step: TrendStep, range: TrendRange): Promise<TrendBucket[]> {
  const size = stepMs(step);
  const from = range.first;
  const until = new Date(from.getTime() + range.count * size);
  const parts = MEASURES.map(
    ([measure, table, column]) =>
      `select '${measure}' as "measure", floor(extract(epoch from ("${column}" - ?::timestamptz)) * 1000 / ?)::int as "bucket", count(*)::int as "n"
       from "${table}" where "${column}" >= ? and "${column}" < ? group by 2`,
  );
  const params = MEASURES.flatMap(() => [from, size, from, until]);
  const rows = await em.execute<Array<{ measure: Measure; bucket: number; n: number }>>(
    parts.join(' union all '),
    params,
  );
  const buckets: TrendBucket[] = Array.from({ length: range.count }, (_, i) => ({
    start: new Date(from.getTime() + i * size),
    reported: 0,
    found: 0,
    closed: 0,
    sightings: 0,
  }));
  for (const row of rows) {
    const bucket = buckets[Number(row.bucket)];
    if (bucket) bucket[row.measure] = Number(row.n);
  }
  return buckets;
}
