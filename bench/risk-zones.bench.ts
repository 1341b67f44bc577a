/**
 * Risk-zone recompute benchmark: seeds synthetic case facts into a real analytics database and
 * times `recomputeZones` end to end (read the open cases, cluster and score them, replace the
 * stored zones, memberships and snapshot), reporting the median of several runs.
 *
 *   node --conditions=source -r ./scripts/register.cjs bench/risk-zones.bench.ts
 *   (BENCH_ZONE_CASES, BENCH_ZONE_RUNS, DATABASE_URL = a Postgres database URL; without it, PGlite in memory)
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createLogger, openDatabase } from '@supergraph/kit';
import { ENTITIES } from '../subgraphs/analytics/src/entities';
import { MIGRATIONS } from '../subgraphs/analytics/src/migrations';
import { recomputeZones } from '../subgraphs/analytics/src/zones/risk-zone.store';

/** Settings of {@link benchRiskZones}. */
export interface RiskZoneBenchOptions {
  /** Synthetic cases to seed (default 100,000). */
  cases?: number;
  /** Timed recomputes; the median is reported (default 3). */
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
  /** Wall time of each run, ms. */
  runsMs: number[];
  medianMs: number;
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

/**
 * Seeds `count` case facts: 70 % around 200 city centres (a few km of spread, so they form
 * dense zones), 30 % scattered over Europe; 80 % MISSING, the rest FOUND or CLOSED; ages 0–17;
 * reported over the last 180 days.
 */
async function seedCases(em: EntityManager, count: number, now: Date): Promise<void> {
  const random = prng(42);
  const cities = Array.from({ length: 200 }, () => ({ lat: 36 + random() * 24, lng: -9 + random() * 33 }));
  const statuses = ['MISSING', 'MISSING', 'MISSING', 'MISSING', 'MISSING', 'MISSING', 'MISSING', 'MISSING', 'FOUND', 'CLOSED'];
  const chunk = 10_000;
  for (let start = 0; start < count; start += chunk) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      const city = random() < 0.7 ? cities[Math.floor(random() * cities.length)] : null;
      const lat = city ? city.lat + (random() - 0.5) * 0.1 : 36 + random() * 24;
      const lng = city ? city.lng + (random() - 0.5) * 0.15 : -9 + random() * 33;
      const reportedAt = new Date(now.getTime() - random() * 180 * 86_400_000);
      const status = statuses[Math.floor(random() * statuses.length)];
      rows.push({
        case_id: randomUUID(),
        report_id: `MC-${i}`,
        reported_at: reportedAt.toISOString(),
        last_seen_at: new Date(reportedAt.getTime() - random() * 6 * 3_600_000).toISOString(),
        age: Math.floor(random() * 18),
        gender: ['FEMALE', 'MALE', 'OTHER', 'UNKNOWN'][Math.floor(random() * 4)],
        lat,
        lng,
        status,
        found_at: status === 'FOUND' ? new Date(reportedAt.getTime() + 3_600_000).toISOString() : null,
      });
    }
    await em.execute(
      `insert into "case_fact" ("case_id", "report_id", "reported_at", "last_seen_at", "age", "gender", "lat", "lng", "status", "found_at")
       select "case_id", "report_id", "reported_at", "last_seen_at", "age", "gender", "lat", "lng", "status", "found_at"
       from jsonb_to_recordset(?::jsonb) as x("case_id" text, "report_id" text, "reported_at" timestamptz, "last_seen_at" timestamptz,
         "age" float8, "gender" text, "lat" float8, "lng" float8, "status" text, "found_at" timestamptz)`,
      [JSON.stringify(rows)],
    );
  }
}

/**
 * Seeds synthetic case facts into a fresh analytics database and times `recomputeZones` end to
 * end `runs` times; returns every run and their median. The database is closed afterwards (a
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
    await seedCases(em(), count, now);
    const [{ n }] = await em().execute<Array<{ n: string }>>(`select count(*) as n from "case_fact" where "status" = 'MISSING' and "lat" is not null`);
    const runsMs: number[] = [];
    let zones = 0;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      zones = (await recomputeZones(em(), { now })).length;
      runsMs.push(performance.now() - started);
    }
    const sorted = [...runsMs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    return { cases: count, openCases: Number(n), zones, runsMs, medianMs, database: opts.databaseUrl ? 'postgres' : 'pglite' };
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
    .then((r) => console.log(`recomputeRiskZones over ${r.cases} cases (${r.openCases} open, ${r.zones} zones, ${r.database}): median ${r.medianMs.toFixed(0)} ms of [${r.runsMs.map((ms) => ms.toFixed(0)).join(', ')}]`))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
