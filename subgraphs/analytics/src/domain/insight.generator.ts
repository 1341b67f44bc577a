import type { CaseFact, Insight, InsightSeverity, RiskLevel, RiskZone } from './analytics.types';
import type { EngagementStats } from './engagement.calculator';
import { computeRecovery, type RecoveryStats } from './recovery.calculator';
import { detectZoneSpikes, weekIndexOf, type ZoneSpike } from './zone-spike.detector';

/** A zone as it was in an earlier snapshot (e.g. yesterday's read model). */
export interface ZoneSnapshot {
  id: string;
  riskScore: number;
  /** Member ids then; lets a zone be matched even if its id changed (anchor case left). */
  caseIds?: readonly string[];
}

/** What the insights are drawn from. */
export interface InsightInput {
  /** Reference time; "this week" is the 7 days before it (see `weekIndexOf`). */
  now: Date;
  /** All known cases, of any status. */
  cases: readonly CaseFact[];
  /** Current risk zones (from `computeRiskZones` with the same `now`). */
  zones: readonly RiskZone[];
  /** Zones of the previous snapshot; without it there are no "zone rising" insights. */
  previousZones?: readonly ZoneSnapshot[];
  /** Recovery statistics; computed from `cases` when absent. */
  recovery?: RecoveryStats;
  /** Delivery statistics; without them there are no channel insights. */
  engagement?: EngagementStats;
}

/** Thresholds of the insights; every field has the documented default. */
export interface InsightOptions {
  /** Week-over-week rise (percent) that makes a WARNING (default 50) … */
  weeklyWarningPct?: number;
  /** … and a CRITICAL (default 200), both only with at least `weeklyMinCases` this week (default 5). */
  weeklyCriticalPct?: number;
  weeklyMinCases?: number;
  /** Score points a zone must gain over its snapshot to be reported (default 10). */
  zoneRiseMinPoints?: number;
  /** Age groups recovered below this rate are reported (default 0.5) … */
  lowRecoveryRate?: number;
  /** … when the group has at least this many counted cases (default 5). */
  lowRecoveryMinCases?: number;
  /** Spike detection: baseline weeks (default 8), sigmas (default 3), fewest cases (default 3). */
  spikeBaselineWeeks?: number;
  spikeSigmas?: number;
  spikeMinCases?: number;
  /** A channel failing more than this share of its sends is reported (default 0.2) … */
  channelFailureRate?: number;
  /** … as CRITICAL above this share (default 0.5) … */
  channelCriticalFailureRate?: number;
  /** … when it sent at least this many deliveries (default 20). */
  channelMinVolume?: number;
}

const SEVERITY_ORDER: Record<InsightSeverity, number> = { CRITICAL: 0, WARNING: 1, INFO: 2 };

/**
 * Human-readable insights, ordered by severity (CRITICAL, WARNING, INFO), then by message
 * (code-unit order, independent of locale). Same input, same output.
 *
 * - WEEKLY_CHANGE (always one): new cases this week against the week before, with the change
 *   in percent; WARNING/CRITICAL for a large rise (see options; a rise from no cases counts
 *   as unbounded), INFO otherwise.
 * - ZONE_RISING: a zone whose score rose by at least `zoneRiseMinPoints` over its snapshot,
 *   matched by id, else by the snapshot zone sharing most case ids; CRITICAL if the zone is
 *   now CRITICAL, WARNING otherwise.
 * - ZONE_SPIKE (CRITICAL): see `detectZoneSpikes`.
 * - LOW_RECOVERY (WARNING): an age group recovered below `lowRecoveryRate`.
 * - CHANNEL_FAILING: a channel whose failure rate exceeds `channelFailureRate` with at least
 *   `channelMinVolume` sends; CRITICAL above `channelCriticalFailureRate`.
 */
export function generateInsights(input: InsightInput, options: InsightOptions = {}): Insight[] {
  const insights: Insight[] = [weeklyChange(input, options)];
  if (input.previousZones) insights.push(...risingZones(input.zones, input.previousZones, options));
  const spikes = detectZoneSpikes(input.zones, input.cases, {
    now: input.now,
    baselineWeeks: options.spikeBaselineWeeks,
    sigmas: options.spikeSigmas,
    minCases: options.spikeMinCases,
  });
  insights.push(...spikes.map(spikeInsight));
  insights.push(...lowRecovery(input.recovery ?? computeRecovery(input.cases), options));
  if (input.engagement) insights.push(...failingChannels(input.engagement, options));
  return insights.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

function weeklyChange(input: InsightInput, options: InsightOptions): Insight {
  let thisWeek = 0;
  let lastWeek = 0;
  for (const c of input.cases) {
    const week = weekIndexOf(c.reportedAt, input.now);
    if (week === 0) thisWeek++;
    else if (week === 1) lastWeek++;
  }
  const noun = (n: number): string => `${n} new ${n === 1 ? 'case' : 'cases'}`;
  const minCases = options.weeklyMinCases ?? 5;
  let message: string;
  let risePct: number;
  if (lastWeek === 0) {
    risePct = thisWeek > 0 ? Infinity : 0;
    message =
      thisWeek === 0
        ? 'No new cases this week or the week before.'
        : `${noun(thisWeek)} this week, up from none the week before.`;
  } else {
    risePct = ((thisWeek - lastWeek) / lastWeek) * 100;
    const pct = Math.round(Math.abs(risePct));
    const trend = thisWeek === lastWeek ? 'unchanged from' : `${thisWeek > lastWeek ? 'up' : 'down'} ${pct}% from`;
    message = `${noun(thisWeek)} this week, ${trend} ${lastWeek} the week before.`;
  }
  let severity: InsightSeverity = 'INFO';
  if (thisWeek >= minCases && risePct >= (options.weeklyCriticalPct ?? 200)) severity = 'CRITICAL';
  else if (thisWeek >= minCases && risePct >= (options.weeklyWarningPct ?? 50)) severity = 'WARNING';
  return { kind: 'WEEKLY_CHANGE', severity, message, subject: null };
}

function risingZones(
  zones: readonly RiskZone[],
  previous: readonly ZoneSnapshot[],
  options: InsightOptions,
): Insight[] {
  const byId = new Map(previous.map((z) => [z.id, z]));
  const byCase = new Map<string, ZoneSnapshot>();
  for (const z of previous) for (const id of z.caseIds ?? []) byCase.set(id, z);
  const minRise = options.zoneRiseMinPoints ?? 10;
  const insights: Insight[] = [];
  for (const zone of zones) {
    const before = byId.get(zone.id) ?? bestOverlap(zone, byCase);
    if (!before || zone.riskScore - before.riskScore < minRise) continue;
    insights.push({
      kind: 'ZONE_RISING',
      severity: zone.riskLevel === 'CRITICAL' ? 'CRITICAL' : 'WARNING',
      message:
        `Risk zone ${zone.id} near ${place(zone)} rose from ${before.riskScore.toFixed(1)} to ` +
        `${zone.riskScore.toFixed(1)} (${levelWord(zone.riskLevel)}, ${zone.caseCount} open ${zone.caseCount === 1 ? 'case' : 'cases'}).`,
      subject: zone.id,
    });
  }
  return insights;
}

/** The snapshot zone sharing most member ids with `zone` (ties: smallest id). */
function bestOverlap(zone: RiskZone, byCase: Map<string, ZoneSnapshot>): ZoneSnapshot | undefined {
  const shared = new Map<ZoneSnapshot, number>();
  for (const id of zone.caseIds) {
    const z = byCase.get(id);
    if (z) shared.set(z, (shared.get(z) ?? 0) + 1);
  }
  let best: ZoneSnapshot | undefined;
  let bestCount = 0;
  for (const [z, n] of shared) {
    if (n > bestCount || (n === bestCount && best && z.id < best.id)) [best, bestCount] = [z, n];
  }
  return best;
}

function spikeInsight(spike: ZoneSpike): Insight {
  const weeks = spike.previousWeeks.length;
  return {
    kind: 'ZONE_SPIKE',
    severity: 'CRITICAL',
    message:
      `Spike in risk zone ${spike.zoneId} near ${place(spike)}: ${spike.thisWeek} cases this week against ` +
      `a weekly mean of ${spike.baselineMean.toFixed(1)} (standard deviation ${spike.baselineStdDev.toFixed(1)}) ` +
      `over the previous ${weeks} ${weeks === 1 ? 'week' : 'weeks'}.`,
    subject: spike.zoneId,
  };
}

function lowRecovery(recovery: RecoveryStats, options: InsightOptions): Insight[] {
  const threshold = options.lowRecoveryRate ?? 0.5;
  const minCases = options.lowRecoveryMinCases ?? 5;
  return recovery.byAgeGroup
    .filter((g) => g.rate !== null && g.total >= minCases && g.rate < threshold)
    .map((g) => ({
      kind: 'LOW_RECOVERY' as const,
      severity: 'WARNING' as const,
      message:
        `Only ${percent(g.rate as number)} of children aged ${g.label} have been found ` +
        `(${g.recovered} of ${g.total}), below the ${percent(threshold)} target.`,
      subject: g.label,
    }));
}

function failingChannels(engagement: EngagementStats, options: InsightOptions): Insight[] {
  const threshold = options.channelFailureRate ?? 0.2;
  const critical = options.channelCriticalFailureRate ?? 0.5;
  const minVolume = options.channelMinVolume ?? 20;
  return engagement.byChannel
    .filter((c) => c.sent >= minVolume && c.failureRate !== null && c.failureRate > threshold)
    .map((c) => ({
      kind: 'CHANNEL_FAILING' as const,
      severity: (c.failureRate as number) > critical ? ('CRITICAL' as const) : ('WARNING' as const),
      message: `${c.channel} notifications are failing: ${c.failed} of ${c.sent} sends failed (${percent(c.failureRate as number)}).`,
      subject: c.channel,
    }));
}

function place(z: { center: { lat: number; lng: number } }): string {
  return `${z.center.lat.toFixed(4)}, ${z.center.lng.toFixed(4)}`;
}

function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

function levelWord(level: RiskLevel): string {
  return level.toLowerCase();
}
