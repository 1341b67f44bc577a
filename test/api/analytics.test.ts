import { parse, print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import {
  AddPlantDocument,
  type CaseStatus,
  DashboardUpdatedDocument,
  DemographicsDocument,
  InsightsDocument,
  NotificationEngagementDocument,
  PlantCareStatsDocument,
  PlantSpeciesDocument,
  RecomputeRiskZonesDocument,
  RecoveryStatsDocument,
  ReportSightingDocument,
  RiskZonesDocument,
  SetCaseStatusDocument,
  type DashboardUpdatedSubscription,
  type DemographicsQuery,
} from '../../operations/generated/graphql';
import { IDENTITY_HEADER, signIdentity } from '@supergraph/kit';
import { codes, gql, ok, sqlStatements } from '../support/client';
import { adminToken, reportCase, signUp } from './cases.fixtures';

/** Polls `read` every 100 ms until it returns a truthy value, for up to 15 s. */
async function until<T>(read: () => Promise<T | null | undefined | false>): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const value = await read();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not met within 15 s');
}

const CASE_RISK_ZONE = parse('query CaseRiskZone($id: ID!) { case(id: $id) { id riskZone { id caseCount } } }');
const REBUILD = parse('mutation Rebuild { rebuildReadModels { replayedEvents riskZones } }');
const ADMIN_ONLY = [
  RiskZonesDocument,
  RecomputeRiskZonesDocument,
  DemographicsDocument,
  RecoveryStatsDocument,
  InsightsDocument,
  NotificationEngagementDocument,
  PlantCareStatsDocument,
];

/** A point in the southern ocean no other test uses, and points `km` north of it. */
const base = { lat: -50 - Math.random() * 5, lng: -120 + Math.random() * 10 };
const north = (km: number) => ({ lat: base.lat + km / 111.195, lng: base.lng });

describe('analytics through the router', () => {
  let admin: string;
  let user: { token: string };
  const clients: Client[] = [];
  beforeAll(async () => {
    admin = await adminToken();
    user = await signUp('analytics');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
  });

  it('keeps the sensitive figures for ADMINs: UNAUTHENTICATED anonymously, FORBIDDEN for users', async () => {
    for (const doc of ADMIN_ONLY) {
      expect(codes(await gql(doc, {}))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await gql(doc, {}, { token: user.token }))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await gql(RiskZonesDocument, { minScore: 101 }, { token: admin }))).toEqual(['BAD_USER_INPUT']);
  });

  it('builds risk zones from reported cases, with the cases resolved by the cases subgraph', async () => {
    const before = (await ok(DemographicsDocument, {}, { token: admin })).demographics;
    const total = (d: typeof before) => d.byAgeGroup.reduce((sum, g) => sum + g.count, 0);
    const reported: Array<Awaited<ReturnType<typeof reportCase>>> = [];
    for (const [km, age] of [
      [0, 4],
      [0.5, 7],
      [1, 3],
    ] as const) {
      reported.push(await reportCase(user.token, { age, lastSeenPlace: 'by the harbour', location: north(km) }));
    }
    // The events reach analytics asynchronously.
    await until(
      async () => total((await ok(DemographicsDocument, {}, { token: admin })).demographics) >= total(before) + 3,
    );

    // Strict: any error or missing data fails here (the router reports a subgraph's silent
    // {"data":null} as INTERNAL_SERVER_ERROR, router/src/resilience/value-completion.plugin.ts).
    const recomputed = (await ok(RecomputeRiskZonesDocument, {}, { token: admin })).recomputeRiskZones;
    const zones = (await ok(RiskZonesDocument, { minScore: null }, { token: admin })).riskZones;
    const ours = zones.find((z) => z.cases.some((c) => c.id === reported[0].id))!;
    expect(ours).toBeDefined();
    expect(recomputed.map((z) => z.id)).toContain(ours.id);
    expect(ours.caseCount).toBe(3);
    expect(ours.cases.map((c) => c.reportId).sort()).toEqual(reported.map((c) => c.reportId).sort());
    expect(ours.center.lat).toBeCloseTo(north(0.5).lat, 3);
    expect(ours.radiusKm).toBeGreaterThanOrEqual(0.5);
    // Three fresh incidents, ages 4, 7, 3 (weights 1, 0.8, 1): 100 × (1 − e^(−2.8/5)) ≈ 42.9 → MEDIUM.
    expect(ours.riskScore).toBeCloseTo(42.9, 0);
    expect(ours.riskLevel).toBe('MEDIUM');
    expect(
      (await ok(RiskZonesDocument, { minScore: 99.9 }, { token: admin })).riskZones.map((z) => z.id),
    ).not.toContain(ours.id);

    // Case.riskZone, contributed to the cases' entity: ADMINs see it, others get null.
    const asAdmin = await gql(CASE_RISK_ZONE, { id: reported[1].id }, { token: admin });
    expect((asAdmin.data as any).case.riskZone).toEqual({ id: ours.id, caseCount: 3 });
    const asUser = await gql(CASE_RISK_ZONE, { id: reported[1].id }, { token: user.token });
    expect((asUser.data as any).case.riskZone).toBeNull();

    // Found: recovery counts it, and the background refresher drops it from the zone.
    const recoveredBefore = (await ok(RecoveryStatsDocument, {}, { token: admin })).recoveryStats;
    await ok(
      SetCaseStatusDocument,
      { id: reported[2].id, status: 'FOUND' as CaseStatus, note: null },
      { token: user.token },
    );
    const zone = await until(async () => {
      const z = (await ok(RiskZonesDocument, { minScore: null }, { token: admin })).riskZones.find((x) =>
        x.cases.some((c) => c.id === reported[0].id),
      );
      return z && z.caseCount === 2 && z;
    });
    expect(zone.cases.map((c) => c.id)).not.toContain(reported[2].id);
    const recovery = (await ok(RecoveryStatsDocument, {}, { token: admin })).recoveryStats;
    expect(recovery.overallRate).not.toBe(recoveredBefore.overallRate);
    expect(recovery.medianHoursToRecovery).not.toBeNull();
    expect(recovery.byAgeGroup.map((g) => g.label)).toEqual(['0-5', '6-10', '11-14', '15-17']);
  });

  it('serves demographics, insights, engagement and plant care to ADMINs', async () => {
    const { demographics } = await ok(DemographicsDocument, {}, { token: admin });
    expect(demographics.byGender.map((g) => g.label)).toEqual(['FEMALE', 'MALE', 'OTHER', 'UNKNOWN']);
    expect(demographics.byHourOfDay).toHaveLength(24);
    expect(demographics.byLocationType.at(-1)?.label).toBe('unknown');
    const { insights } = await ok(InsightsDocument, {}, { token: admin });
    expect(insights.some((i) => /new cases? this week/.test(i.message))).toBe(true);
    const { notificationEngagement } = await ok(NotificationEngagementDocument, {}, { token: admin });
    expect(notificationEngagement.map((c) => c.channel).sort()).toEqual([
      'DISCORD',
      'EMAIL',
      'IN_APP',
      'PUSH',
      'SMS',
      'TELEGRAM',
    ]);
    for (const c of notificationEngagement) expect(c.sent).toBe(c.delivered + c.failed);

    const plantsBefore = (await ok(PlantCareStatsDocument, {}, { token: admin })).plantCareStats.plants;
    const species = (await ok(PlantSpeciesDocument, { search: null, first: 1, after: null })).plantSpecies.edges[0]
      .node;
    await ok(AddPlantDocument, { input: { speciesId: species.id, nickname: 'Analytic fern' } }, { token: user.token });
    await until(
      async () => (await ok(PlantCareStatsDocument, {}, { token: admin })).plantCareStats.plants === plantsBefore + 1,
    );
  });

  it('answers a repeated figure from memory (one statement) until the facts change', async () => {
    const total = (d: DemographicsQuery['demographics']) => d.byAgeGroup.reduce((sum, g) => sum + g.count, 0);
    // Events of earlier tests may still be arriving: each changes the facts. Wait for a quiet pair of reads.
    await until(async () => {
      await ok(DemographicsDocument, {}, { token: admin });
      const before = await sqlStatements('analytics');
      await ok(DemographicsDocument, {}, { token: admin });
      return (await sqlStatements('analytics')) - before === 1; // the version check; computing costs more
    });
    const known = total((await ok(DemographicsDocument, {}, { token: admin })).demographics);
    await reportCase(user.token, { age: 9, location: north(40) });
    await until(async () => total((await ok(DemographicsDocument, {}, { token: admin })).demographics) === known + 1);
  });

  it('rebuilds the read models from the logged events without changing a figure', async () => {
    const before = await Promise.all([
      ok(DemographicsDocument, {}, { token: admin }),
      ok(RecoveryStatsDocument, {}, { token: admin }),
      ok(PlantCareStatsDocument, {}, { token: admin }),
    ]);
    expect(codes(await gql(REBUILD, {}, { token: user.token }))).toEqual(['FORBIDDEN']);
    const rebuilt = await gql(REBUILD, {}, { token: admin });
    expect((rebuilt.data as any).rebuildReadModels.replayedEvents).toBeGreaterThan(0);
    const after = await Promise.all([
      ok(DemographicsDocument, {}, { token: admin }),
      ok(RecoveryStatsDocument, {}, { token: admin }),
      ok(PlantCareStatsDocument, {}, { token: admin }),
    ]);
    expect(after).toEqual(before);
  });

  it('pushes the public dashboard figures: the current ones at once, then changes', async () => {
    const client = createClient({
      url: inject('routerUrl').replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    clients.push(client);
    const events: DashboardUpdatedSubscription['dashboardUpdated'][] = [];
    const errors: unknown[] = [];
    client.subscribe<DashboardUpdatedSubscription>(
      { query: print(DashboardUpdatedDocument) },
      {
        next: (r) => (r.errors ? errors.push(...r.errors) : events.push(r.data!.dashboardUpdated)),
        error: (e) => void errors.push(e),
        complete: () => undefined,
      },
    );
    const first = await until(async () => events[0]).catch((err) => {
      throw new Error(`${err.message}: ${JSON.stringify(errors)}`);
    });
    expect(errors).toEqual([]);
    const c = await reportCase(user.token, { lastSeenPlace: 'at the pier', location: north(30) });
    await ok(ReportSightingDocument, {
      input: { caseId: c.id, seenAt: new Date().toISOString(), place: 'near the pier', description: 'seen walking' },
    });
    const later = await until(async () =>
      events.find((e) => e.casesToday >= first.casesToday + 1 && e.sightingsToday >= first.sightingsToday + 1),
    );
    expect(later.openCases).toBeGreaterThanOrEqual(first.openCases + 1);
    expect(new Date(later.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(first.updatedAt).getTime());
  });

  it('serves dashboardUpdated on the analytics subgraph to the router-signed socket', async () => {
    const token = await signIdentity({}, 'analytics-api-test', inject('signingSecret'));
    const client = createClient({
      url: inject('subgraphUrls').analytics.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { [IDENTITY_HEADER]: token },
    });
    clients.push(client);
    const events: DashboardUpdatedSubscription['dashboardUpdated'][] = [];
    client.subscribe<DashboardUpdatedSubscription>(
      { query: print(DashboardUpdatedDocument) },
      {
        next: (r) => void (r.data && events.push(r.data.dashboardUpdated)),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    const first = await until(async () => events[0]);
    await reportCase(user.token, { lastSeenPlace: 'on the quay', location: north(60) });
    const later = await until(async () => events.find((e) => e.openCases >= first.openCases + 1));
    expect(later.casesToday).toBeGreaterThanOrEqual(first.casesToday + 1);
  });
});
