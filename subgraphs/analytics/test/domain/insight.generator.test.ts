import { describe, expect, it } from 'vitest';
import type { Channel } from '@supergraph/kit';
import {
  computeEngagement,
  computeRecovery,
  computeRiskZones,
  detectZoneSpikes,
  generateInsights,
  type CaseFact,
  type DeliveryFact,
  type DeliveryStatus,
} from '../../src/domain';
import { daysAgo, makeCase, NOW } from './case.fixture';

const BERLIN = { lat: 52.52, lng: 13.405 };
const MUNICH = { lat: 48.1374, lng: 11.5755 };

/*
 * Berlin, all at the same spot, age 8:
 *   this week (week 0): 4 MISSING cases reported 1–4 days ago → the open zone (radius 0.5 km)
 *   weeks 1..4 (8.5, 15.5/16, 22.5, 29.5/30 days ago): 1, 2, 1, 2 FOUND cases → mean 1.5,
 *     population σ = √((0.25 + 0.25 + 0.25 + 0.25) / 4) = 0.5 → threshold 1.5 + 3 × 0.5 = 3;
 *     4 > 3 → spike.
 *   week 5 (36 days ago): one FOUND case, outside a 4-week baseline.
 * Munich: one MISSING case this week → its own zone, 1 case < 3 minimum, no spike.
 * Weekly change: 5 new this week (4 Berlin + Munich), 1 the week before → +400% → CRITICAL.
 * Scores (age 8 weighs 0.8, all last seen NOW): Berlin 100·(1 − e^(−3.2/5)) = 47.27 → 47.3
 * (MEDIUM), Munich 100·(1 − e^(−0.16)) = 14.79 → 14.8.
 */
const at = (p: { lat: number; lng: number }, id: string, days: number, status: CaseFact['status']): CaseFact =>
  makeCase(id, { location: p, reportedAt: daysAgo(days), status, foundAt: status === 'FOUND' ? NOW : null });

const cases: CaseFact[] = [
  at(BERLIN, 'b-now-1', 1, 'MISSING'),
  at(BERLIN, 'b-now-2', 2, 'MISSING'),
  at(BERLIN, 'b-now-3', 3, 'MISSING'),
  at(BERLIN, 'b-now-4', 4, 'MISSING'),
  at(BERLIN, 'b-w1', 8.5, 'FOUND'),
  at(BERLIN, 'b-w2a', 15.5, 'FOUND'),
  at(BERLIN, 'b-w2b', 16, 'FOUND'),
  at(BERLIN, 'b-w3', 22.5, 'FOUND'),
  at(BERLIN, 'b-w4a', 29.5, 'FOUND'),
  at(BERLIN, 'b-w4b', 30, 'FOUND'),
  at(BERLIN, 'b-w5', 36, 'FOUND'),
  at(MUNICH, 'mu1', 2, 'MISSING'),
];

/** `count` deliveries on `channel`, the first `failed` of them FAILED, the rest SENT. */
function deliveries(channel: Channel, count: number, failed: number): DeliveryFact[] {
  return Array.from({ length: count }, (_, i) => ({
    channel,
    status: (i < failed ? 'FAILED' : 'SENT') as DeliveryStatus,
    at: daysAgo(1),
  }));
}

describe('generateInsights', () => {
  const zones = computeRiskZones(cases, { now: NOW });
  const berlin = zones.find((z) => z.caseIds.includes('b-now-1'))!;
  const munich = zones.find((z) => z.caseIds.includes('mu1'))!;

  it('detects the spike with the hand-computed baseline', () => {
    const spikes = detectZoneSpikes(zones, cases, { now: NOW, baselineWeeks: 4 });
    expect(spikes).toEqual([
      {
        zoneId: berlin.id,
        center: BERLIN,
        thisWeek: 4,
        previousWeeks: [1, 2, 1, 2],
        baselineMean: 1.5,
        baselineStdDev: 0.5,
        threshold: 3,
      },
    ]);
    // With an 8-week baseline weeks 5..8 are [1, 0, 0, 0]: mean 0.875, σ ≈ 0.78 → threshold ≈ 3.2 < 4, still a spike.
    expect(detectZoneSpikes(zones, cases, { now: NOW, baselineWeeks: 8 })).toHaveLength(1);
    // Three this week would not exceed the 4-week threshold of 3.
    const quieter = cases.filter((c) => c.caseId !== 'b-now-4');
    expect(detectZoneSpikes(computeRiskZones(quieter, { now: NOW }), quieter, { now: NOW, baselineWeeks: 4 })).toEqual(
      [],
    );
  });

  it('reports weekly change, rising zones, the spike and failing channels, by severity then message', () => {
    const engagement = computeEngagement([
      ...deliveries('SMS', 40, 12), // 30% > 20% with 40 sends → WARNING
      ...deliveries('PUSH', 20, 11), // 55% > 50% → CRITICAL
      ...deliveries('EMAIL', 10, 9), // 90% but only 10 sends → nothing
      ...deliveries('TELEGRAM', 100, 20), // exactly 20%, not above → nothing
    ]);
    const insights = generateInsights(
      {
        now: NOW,
        cases,
        zones,
        previousZones: [
          { id: berlin.id, riskScore: 20 },
          { id: 'rz_renamed', riskScore: 0, caseIds: ['mu1'] }, // matched by shared case
        ],
        engagement,
      },
      { spikeBaselineWeeks: 4 },
    );
    const rising = [
      `Risk zone ${berlin.id} near 52.5200, 13.4050 rose from 20.0 to 47.3 (medium, 4 open cases).`,
      `Risk zone ${munich.id} near 48.1374, 11.5755 rose from 0.0 to 14.8 (low, 1 open case).`,
    ].sort();
    expect(insights.map((i) => [i.severity, i.message])).toEqual([
      ['CRITICAL', '5 new cases this week, up 400% from 1 the week before.'],
      ['CRITICAL', 'PUSH notifications are failing: 11 of 20 sends failed (55%).'],
      [
        'CRITICAL',
        `Spike in risk zone ${berlin.id} near 52.5200, 13.4050: 4 cases this week against a weekly mean of 1.5 ` +
          '(standard deviation 0.5) over the previous 4 weeks.',
      ],
      ['WARNING', rising[0]],
      ['WARNING', rising[1]],
      ['WARNING', 'SMS notifications are failing: 12 of 40 sends failed (30%).'],
    ]);
    expect(insights.find((i) => i.kind === 'ZONE_SPIKE')?.subject).toBe(berlin.id);
    expect(insights.find((i) => i.kind === 'CHANNEL_FAILING' && i.severity === 'WARNING')?.subject).toBe('SMS');
  });

  it('reports age groups with low recovery', () => {
    // 0-5: 1 found of 5 counted → 20% < 50%; 6-10: 3 of 5 → 60%, fine; 11-14: 0 of 2, too few cases.
    const recoveryCases = [
      ...Array.from({ length: 5 }, (_, i) =>
        makeCase(`y${i}`, { age: 4, status: i === 0 ? 'FOUND' : 'MISSING', foundAt: i === 0 ? NOW : null }),
      ),
      ...Array.from({ length: 5 }, (_, i) =>
        makeCase(`k${i}`, { age: 9, status: i < 3 ? 'FOUND' : 'MISSING', foundAt: i < 3 ? NOW : null }),
      ),
      makeCase('t1', { age: 12, reportedAt: daysAgo(20) }),
      makeCase('t2', { age: 12, reportedAt: daysAgo(20) }),
    ];
    const insights = generateInsights({
      now: NOW,
      cases: recoveryCases,
      zones: [],
      recovery: computeRecovery(recoveryCases),
    });
    expect(insights.filter((i) => i.kind === 'LOW_RECOVERY')).toEqual([
      {
        kind: 'LOW_RECOVERY',
        severity: 'WARNING',
        message: 'Only 20% of children aged 0-5 have been found (1 of 5), below the 50% target.',
        subject: '0-5',
      },
    ]);
    // All 10 young cases were reported at NOW (this week), none the week before; 10 ≥ 5 → CRITICAL.
    expect(insights.find((i) => i.kind === 'WEEKLY_CHANGE')).toMatchObject({
      severity: 'CRITICAL',
      message: '10 new cases this week, up from none the week before.',
    });
  });

  it('words a fall and a quiet period as INFO', () => {
    const fewer = [
      makeCase('a', { reportedAt: daysAgo(1) }),
      ...[8, 9, 10, 11].map((d) => makeCase(`o${d}`, { reportedAt: daysAgo(d) })),
    ];
    // (The five open age-8 cases also make a LOW_RECOVERY warning, sorted first.)
    expect(
      generateInsights({ now: NOW, cases: fewer, zones: [] }).find((i) => i.kind === 'WEEKLY_CHANGE'),
    ).toMatchObject({
      kind: 'WEEKLY_CHANGE',
      severity: 'INFO',
      message: '1 new case this week, down 75% from 4 the week before.',
    });
    expect(generateInsights({ now: NOW, cases: [], zones: [] })).toEqual([
      { kind: 'WEEKLY_CHANGE', severity: 'INFO', message: 'No new cases this week or the week before.', subject: null },
    ]);
  });
});
