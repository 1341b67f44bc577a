/**
 * Risk-zone recompute benchmark: seeds synthetic case facts into a real analytics database and
 * times `recomputeZones` end to end (read the open cases, cluster and score them, write the
 * stored zones and memberships), reporting the median of several runs of two kinds:
 * - cold: nothing stored yet (first start, or after a rebuild), so every zone and membership is written;
 * - warm: the usual recompute, after 1 % of the cases changed since the last one (half newly
 *   reported, half found), so only what changed is written.
 *
 *   node --conditions=source -r ./scripts/register.cjs bench/risk-zones.bench.ts
 *   (BENCH_ZONE_CASES, BENCH_ZONE_RUNS, DATABASE_URL = a Postgres database URL; without it, PGlite in memory)
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createLogger, executeBound, openDatabase } from '@supergraph/kit';
import { ENTITIES } from '../subgraphs/analytics/src/entities';
import { MIGRATIONS } from '../subgraphs/analytics/src/migrations';
import { recomputeZones } from '../subgraphs/analytics/src/zones/risk-zone.writer';

/** Settings of {@link benchRiskZones}. */
export interface RiskZoneBenchOptions {
  /** Synthetic cases to seed (default 100,000). */
  cases?: number;
  /** Timed recomputes of each kind, cold and warm; the medians are reported (default 3). */
  runs?: number;
  /** A Postgres URL naming a database to create and use; absent → embedded PGlite in memory. */
  databaseUrl?: string;
}

/** What the benchmark measured. */
export interface RiskZoneBenchResult {
  cases: number;
  /** Open cases with a location (the recompute's input). */
  openCases: number;
  zones: number;
  /** Wall time of each cold run (nothing stored before), ms. */
  coldMs: number[];
  coldMedianMs: number;
  /** Wall time of each warm run (1 % of the cases changed since the last recompute), ms. */
  warmMs: number[];
  warmMedianMs: number;
  database: 'postgres' | 'pglite';
}

/** Deterministic PRNG (mulberry32) so every run clusters the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A synthetic case fact row as `case_fact` stores it. */
type FactRow = Record<string, string | number | null>;

/**
 * Makes `count` case facts: 70 % around 200 city centres (a few km of spread, so they form
 * dense zones), 30 % scattered over Europe; 80 % MISSING, the rest FOUND or CLOSED; ages 0–17;
 * reported over the last 180 days.
 */
function syntheticCases(
  random: () => number,
  cities: Array<{ lat: number; lng: number }>,
  count: number,
  now: Date,
  first = 0,
): FactRow[] {
  const statuses = [
    'MISSING',
    'MISSING',
    'MISSING',
    'MISSING',
    'MISSING',
    'MISSING',
    'MISSING',
    'MISSING',
    'FOUND',
    'CLOSED',
  ];
  const rows: FactRow[] = [];
  for (let i = first; i < first + count; i++) {
    const city = random() < 0.7 ? cities[Math.floor(random() * cities.length)] : null;
    const reportedAt = new Date(now.getTime() - random() * 180 * 86_400_000);
    const status = statuses[Math.floor(random() * statuses.length)];
    rows.push({
      case_id: randomUUID(),
      report_id: `MC-${i}`,
      reported_at: reportedAt.toISOString(),
      last_seen_at: new Date(reportedAt.getTime() - random() * 6 * 3_600_000).toISOString(),
      age: Math.floor(random() * 18),
      gender: ['FEMALE', 'MALE', 'OTHER', 'UNKNOWN'][Math.floor(random() * 4)],
      lat: city ? city.lat + (random() - 0.5) * 0.1 : 36 + random() * 24,
      lng: city ? city.lng + (random() - 0.5) * 0.15 : -9 + random() * 33,
      status,
      found_at: status === 'FOUND' ? new Date(reportedAt.getTime() + 3_600_000).toISOString() : null,
    });
  }
  return rows;
}

async function insertFacts(em: EntityManager, rows: FactRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 10_000) {
    await executeBound(
      em,
      `insert into "case_fact" ("case_id", "report_id", "reported_at", "last_seen_at", "age", "gender", "lat", "lng", "status", "found_at")
       select "case_id", "report_id", "reported_at", "last_seen_at", "age", "gender", "lat", "lng", "status", "found_at"
       from jsonb_to_recordset(?::jsonb) as x("case_id" text, "report_id" text, "reported_at" timestamptz, "last_seen_at" timestamptz,
         "age" float8, "gender" text, "lat" float8, "lng" float8, "status" text, "found_at" timestamptz)`,
      [JSON.stringify(rows.slice(start, start + 10_000))],
    );
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * Seeds synthetic case facts into a fresh analytics database and times `recomputeZones` end to
 * end, `runs` times cold and `runs` times warm; returns every run and the medians. The database is closed afterwards (a
 * Postgres database it created is left for the caller to drop).
 */
export async function benchRiskZones(opts: RiskZoneBenchOptions = {}): Promise<RiskZoneBenchResult> {
  const count = opts.cases ?? 100_000;
  const runs = opts.runs ?? 3;
  const db = await openDatabase({
    service: 'analytics',
    databaseUrl: opts.databaseUrl,
    dataDir: ':memory:',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    log: createLogger('analytics-bench', 'error'),
  });
  try {
    const em = () => db.orm.em.fork({ disableContextResolution: true }) as EntityManager;
    const now = new Date();
    const random = prng(42);
    const cities = Array.from({ length: 200 }, () => ({ lat: 36 + random() * 24, lng: -9 + random() * 33 }));
    await insertFacts(em(), syntheticCases(random, cities, count, now));
    await em().execute('vacuum analyze');
    const coldMs: number[] = [];
    const warmMs: number[] = [];
    let zones = 0;
    let added = count;
    const changes = Math.max(1, Math.round(count / 200));
    for (let i = 0; i < runs; i++) {
      await em().execute('truncate "risk_zone", "risk_zone_case", "risk_zone_run"');
      coldMs.push(await timed(async () => (zones = (await recomputeZones(em(), { now })).length)));
      // 1 % of the cases change: half are new reports, half of the open ones are found.
      await insertFacts(em(), syntheticCases(random, cities, changes, now, added));
      added += changes;
      await em().execute(
        `update "case_fact" set "status" = 'FOUND', "found_at" = ? where "case_id" in
           (select "case_id" from "case_fact" where "status" = 'MISSING' order by md5("case_id" || ?) limit ?)`,
        [now.toISOString(), String(i), changes],
      );
      warmMs.push(await timed(async () => (zones = (await recomputeZones(em(), { now })).length)));
    }
    const [{ n }] = await em().execute<Array<{ n: string }>>(
      `select count(*) as n from "case_fact" where "status" = 'MISSING' and "lat" is not null`,
    );
    return {
      cases: count,
      openCases: Number(n),
      zones,
      coldMs,
      coldMedianMs: median(coldMs),
      warmMs,
      warmMedianMs: median(warmMs),
      database: opts.databaseUrl ? 'postgres' : 'pglite',
    };
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  benchRiskZones({
    cases: Number(process.env.BENCH_ZONE_CASES ?? 100_000),
    runs: Number(process.env.BENCH_ZONE_RUNS ?? 3),
    databaseUrl: process.env.DATABASE_URL,
  })
    .then((r) =>
      console.log(
        `recomputeRiskZones over ${r.cases} cases (${r.openCases} open, ${r.zones} zones, ${r.database}): ` +
          `cold median ${r.coldMedianMs.toFixed(0)} ms of [${r.coldMs.map((ms) => ms.toFixed(0)).join(', ')}], ` +
          `warm median ${r.warmMedianMs.toFixed(0)} ms of [${r.warmMs.map((ms) => ms.toFixed(0)).join(', ')}]`,
      ),
    )
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
