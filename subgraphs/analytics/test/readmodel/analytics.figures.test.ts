import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeZones } from '../../src/zones/risk-zone.writer';
import { allFigures } from '../support/figures.snapshot';
import { C, fixtureEvents, NOW } from '../support/analytics.fixture';
import { openHarness, type Harness } from '../support/analytics.harness';

const zoneId = (anchorCaseId: string) => 'rz_' + createHash('sha256').update(anchorCaseId).digest('hex').slice(0, 16);
const YESTERDAY_NOON = new Date('2025-06-14T12:00:00.000Z');

describe('analytics figures from consumed events (fixture worked out by hand)', () => {
  let h: Harness;
  let figures: Awaited<ReturnType<typeof allFigures>>;

  beforeAll(async () => {
    h = await openHarness();
    const events = fixtureEvents();
    // Yesterday noon: only c3 of the Paris cluster was known; that snapshot feeds "zone rising".
    await h.feed(events.filter((e) => e.occurredAt < YESTERDAY_NOON.toISOString()));
    await recomputeZones(h.em(), { now: YESTERDAY_NOON });
    await h.feed(events.filter((e) => e.occurredAt >= YESTERDAY_NOON.toISOString()));
    await recomputeZones(h.em(), { now: NOW });
    figures = await allFigures(h.em(), NOW);
  });
  afterAll(() => h?.close());

  it('tells the zone refresher and the dashboard about every projected event', () => {
    expect(h.hookCalls.figures).toBe(fixtureEvents().length + 2); // + the two feed markers
    expect(h.hookCalls.cases).toBe(14 + 2); // 8 reports, 5 status changes, 1 update, 2 markers
  });

  it('counts the dashboard figures', () => {
    // open: c1–c4; today: c1 and sighting sg-1; alerts delivered: nA, nB; deliveries: 2 e-mail + 1 push + 14 SMS.
    expect(figures.dashboard).toEqual({
      openCases: 4,
      casesToday: 1,
      sightingsToday: 1,
      alertsSent: 2,
      notificationsDelivered: 17,
    });
  });

  it('clusters the open cases into zones with their scores and levels', () => {
    // Paris: c1 age 4 seen 3 h ago (1.0 × 0.5^(3/720)), c2 age 7 seen 18 h ago (0.8 × 0.5^(18/720)),
    // c3 age 12 seen 45 h ago (0.6 × 0.5^(45/720)): mass 0.99712 + 0.78626 + 0.57456 = 2.35794,
    // score 100 × (1 − e^(−2.35794/5)) = 37.6 → MEDIUM. Center = mean of the three points; every
    // member is within 0.41 km of it, so the radius is the 0.5 km minimum. Anchor: c3 (reported first).
    // Lyon: c4 age 16 seen exactly 30 days ago: 0.5 × 0.5 = 0.25, score 100 × (1 − e^(−0.05)) = 4.9 → LOW.
    // c5–c8 are found or closed: in no zone.
    expect(figures.zones).toEqual([
      {
        id: zoneId(C.c3),
        center: { lat: 48.857733, lng: 2.3548 },
        radiusKm: 0.5,
        caseCount: 3,
        caseIds: [C.c1, C.c2, C.c3],
        riskScore: 37.6,
        riskLevel: 'MEDIUM',
        computedAt: NOW,
      },
      {
        id: zoneId(C.c4),
        center: { lat: 45.764, lng: 4.8357 },
        radiusKm: 0.5,
        caseCount: 1,
        caseIds: [C.c4],
        riskScore: 4.9,
        riskLevel: 'LOW',
        computedAt: NOW,
      },
    ]);
  });

  it('breaks the cases down by age group, gender, hour and kind of place', () => {
    const d = figures.demographics;
    expect(d.total).toBe(8);
    expect(d.byAgeGroup).toEqual([
      { label: '0-5', count: 3 }, // c1 (4), c5 (5), c6 (3)
      { label: '6-10', count: 1 }, // c2 (7)
      { label: '11-14', count: 2 }, // c3 (12), c7 (13)
      { label: '15-17', count: 2 }, // c4 (16), c8 (15)
    ]);
    expect(d.byGender).toEqual([
      { label: 'FEMALE', count: 3 }, // c1 ("female" normalised), c3, c6
      { label: 'MALE', count: 3 },
      { label: 'OTHER', count: 1 },
      { label: 'UNKNOWN', count: 1 },
    ]);
    const hours = Object.fromEntries(d.byHourOfDay.filter((b) => b.count > 0).map((b) => [b.label, b.count]));
    expect(hours).toEqual({ '07': 1, '09': 2, '12': 1, '15': 1, '18': 1, '22': 1, '23': 1 });
    expect(d.byHourOfDay).toHaveLength(24);
    expect(d.byLocationType).toEqual([
      { label: 'mall', count: 1 },
      { label: 'park', count: 2 }, // " park " trimmed
      { label: 'school', count: 2 },
      { label: 'street', count: 1 },
      { label: 'unknown', count: 2 }, // c4, c8
    ]);
  });

  it('computes recovery rates and the median time to recovery', () => {
    // Recovered: c5 (6 h), c6 (24 h, closed after being found), c8 (10 h); missing: c1–c4; c7 withdrawn (left out).
    const r = figures.recovery;
    expect(r.overallRate).toBeCloseTo(3 / 7, 10);
    expect(r.medianHoursToRecovery).toBe(10);
    expect(r.closedWithoutRecovery).toBe(1);
    expect(r.byAgeGroup.map((g) => [g.label, g.rate])).toEqual([
      ['0-5', 2 / 3], // c1 missing; c5, c6 found
      ['6-10', 0], // c2 missing
      ['11-14', 0], // c3 missing; c7 left out
      ['15-17', 0.5], // c4 missing; c8 found
    ]);
  });

  it('counts deliveries, failures, opens and actions per channel', () => {
    const byChannel = Object.fromEntries(
      figures.engagement.byChannel.map((c) => [c.channel, [c.sent, c.delivered, c.failed, c.opened, c.acted]]),
    );
    expect(byChannel).toEqual({
      EMAIL: [2, 2, 0, 2, 1], // nA (retried, then delivered; opened, acted), nB (opened)
      SMS: [20, 14, 6, 0, 0],
      TELEGRAM: [0, 0, 0, 0, 0],
      DISCORD: [0, 0, 0, 0, 0],
      PUSH: [2, 1, 1, 1, 1], // nA delivered (opened, acted), nC failed
      IN_APP: [0, 0, 0, 0, 0],
    });
  });

  it('computes plant care figures', () => {
    // Kept: p1, p2 (p3 removed). Waterings with a due date: p1 on time, p2 a day late → 0.5.
    // p1's reminder of 06-14 was never answered → overdue.
    expect(figures.plantCare).toMatchObject({
      plants: 2,
      waterings: 3,
      onTimeWateringRate: 0.5,
      overduePlants: 1,
      overduePlantIds: ['p1'],
    });
  });

  it('draws insights: the Paris spike, its rise since yesterday, failing SMS, the weekly change', () => {
    const paris = zoneId(C.c3);
    expect(figures.insights.map((i) => [i.kind, i.severity, i.message])).toEqual([
      // 3 cases this week in the Paris disc, none in the 8 weeks before: mean 0, σ 0.
      [
        'ZONE_SPIKE',
        'CRITICAL',
        `Spike in risk zone ${paris} near 48.8577, 2.3548: 3 cases this week against a weekly mean of 0.0 (standard deviation 0.0) over the previous 8 weeks.`,
      ],
      // Yesterday noon the zone held only c3: 0.6 × 0.5^(21/720) → 100 × (1 − e^(−0.11760)) = 11.1.
      [
        'ZONE_RISING',
        'WARNING',
        `Risk zone ${paris} near 48.8577, 2.3548 rose from 11.1 to 37.6 (medium, 3 open cases).`,
      ],
      ['CHANNEL_FAILING', 'WARNING', 'SMS notifications are failing: 6 of 20 sends failed (30%).'],
      // This week (from 06-08 12:00): c1, c2, c3, c8; the week before: c6, c7.
      ['WEEKLY_CHANGE', 'INFO', '4 new cases this week, up 100% from 2 the week before.'],
    ]);
  });
});
