import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { caseIdsOfZones, findZones, previousSnapshot } from '../../src/zones/risk-zone.store';
import { recomputeZones } from '../../src/zones/risk-zone.writer';
import { openHarness, type Harness } from '../support/analytics.harness';

const DAY1 = new Date('2025-06-14T12:00:00.000Z');
const DAY2 = new Date('2025-06-15T09:00:00.000Z');

/** Open case `id` at (lat, lng), age 6, reported and last seen a day before DAY1. */
async function addCase(em: EntityManager, id: string, lat: number, lng: number): Promise<void> {
  const at = new Date(DAY1.getTime() - 86_400_000).toISOString();
  await em.execute(
    `insert into "case_fact" ("case_id", "report_id", "reported_at", "last_seen_at", "age", "gender", "lat", "lng", "status")
     values (?, ?, ?, ?, 6, 'FEMALE', ?, ?, 'MISSING')`,
    [id, `MC-${id}`, at, at, lat, lng],
  );
}

/** Stored zones with their members, and the row version (xmin) of every zone and membership. */
async function stored(em: EntityManager) {
  const zones = await findZones(em);
  const members = await caseIdsOfZones(
    em,
    zones.map((z) => z.id),
  );
  const versions = await em.execute<Array<{ key: string; xmin: string }>>(
    `select 'zone:' || "id" as key, xmin::text as xmin from "risk_zone" union all select 'case:' || "case_id", xmin::text from "risk_zone_case"`,
  );
  return {
    zones: zones.map((z, i) => ({
      id: z.id,
      caseIds: members[i],
      riskScore: z.riskScore,
      computedAt: z.computedAt.toISOString(),
    })),
    versions: new Map(versions.map((v) => [v.key, v.xmin])),
  };
}

describe('recomputeZones writes only what changed', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await openHarness();
    // Ten clusters of five cases, 0.2 km apart within a cluster, clusters 1° apart.
    for (let c = 0; c < 10; c++) for (let k = 0; k < 5; k++) await addCase(h.em(), `c${c}-${k}`, 40 + c, 2 + k * 0.002);
  });
  afterAll(() => h?.close());

  it('stores exactly the zones it returns, with the time of the run', async () => {
    const zones = await recomputeZones(h.em(), { now: DAY1 });
    const { zones: kept } = await stored(h.em());
    expect(zones).toHaveLength(10);
    expect(kept).toEqual(
      zones.map((z) => ({ id: z.id, caseIds: z.caseIds, riskScore: z.riskScore, computedAt: DAY1.toISOString() })),
    );
  });

  it('rewrites only the zone a new case joins, and keeps every other row as it was', async () => {
    const before = await stored(h.em());
    await addCase(h.em(), 'c3-new', 43, 2.009);
    const zones = await recomputeZones(h.em(), { now: DAY1 });
    const after = await stored(h.em());
    const grown = zones.find((z) => z.caseIds.includes('c3-new'))!;
    expect(grown.caseCount).toBe(6);
    const rewritten = [...after.versions]
      .filter(([key, xmin]) => before.versions.get(key) !== xmin)
      .map(([key]) => key)
      .sort();
    expect(rewritten).toEqual(['case:c3-new', `zone:${grown.id}`]);
  });

  it('drops the memberships and zones of found cases, and ends like a recompute from nothing', async () => {
    await h
      .em()
      .execute(
        `update "case_fact" set "status" = 'FOUND', "found_at" = ? where "case_id" like 'c7-%' or "case_id" = 'c1-4'`,
        [DAY1.toISOString()],
      );
    await recomputeZones(h.em(), { now: DAY1 });
    const incremental = await stored(h.em());
    expect(incremental.zones).toHaveLength(9);
    expect(incremental.versions.has('case:c1-4')).toBe(false);

    await h.em().execute('truncate "risk_zone", "risk_zone_case", "risk_zone_run"');
    await recomputeZones(h.em(), { now: DAY1 });
    expect((await stored(h.em())).zones).toEqual(incremental.zones);
  });

  it('keeps the zones of a day as its snapshot once a later day recomputes, and only once', async () => {
    const day1 = (await stored(h.em())).zones.map((z) => ({ id: z.id, riskScore: z.riskScore, caseIds: z.caseIds }));
    // Before DAY2 recomputes, the stored zones are the latest of an earlier day.
    expect(await previousSnapshot(h.em(), DAY2)).toEqual(day1);

    await recomputeZones(h.em(), { now: DAY2 });
    await addCase(h.em(), 'c9-new', 49, 2.009);
    await recomputeZones(h.em(), { now: new Date(DAY2.getTime() + 3_600_000) });
    const days = await h
      .em()
      .execute<Array<{ day: string; n: string }>>(
        'select "day", count(*) as n from "risk_zone_snapshot" group by "day"',
      );
    expect(days.map((d) => ({ day: d.day, n: Number(d.n) }))).toEqual([{ day: '2025-06-14', n: 9 }]);
    const snapshot = (await previousSnapshot(h.em(), DAY2)) ?? [];
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect(snapshot.map((z) => ({ ...z, caseIds: [...(z.caseIds ?? [])].sort() })).sort(byId)).toEqual(
      [...day1].sort(byId),
    );
  });
});
