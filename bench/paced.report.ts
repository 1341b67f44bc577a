import { fmt, fmtRatio, ratio, row, rule } from './markdown';
import type { ScenarioResult } from './scenario.runner';
import { TARGET_LABELS, type TargetName } from './targets';

/**
 * The report's section of the paced runs: p50 and p99 of every paced target at a steady rate,
 * and each gateway's p50 over the direct call's, on the distinct single-subgraph scenarios.
 */
export function pacedSection(results: ScenarioResult[]): string[] {
  const paced = results.filter((r) => r.paced && Object.keys(r.paced).length);
  if (!paced.length) return [];
  const rate = Object.values(paced[0]!.paced!)[0]!.rate;
  const lines = [
    '## Latency at a steady rate',
    '',
    [
      `The distinct single-subgraph scenarios again, at ${fmt(rate)} requests/s evenly spaced (an open loop, up to the same`,
      "number of connections), 3 rounds of each target interleaved as above. Kept busy by a closed loop, a target's p50 is",
      'mostly time spent queueing and follows its throughput; at a rate every target keeps up with, p50 is what it adds to a',
      'request. Each latency counts from when its request was handed to the HTTP client (waiting for a free connection counts).',
    ].join(' '),
    '',
    row('scenario', 'target', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'GraphQL errors', 'p50 / direct p50'),
    rule(8),
  ];
  for (const r of paced) {
    const direct = r.paced!.direct?.p50;
    for (const [name, s] of Object.entries(r.paced!) as [
      TargetName,
      NonNullable<ScenarioResult['paced']>[TargetName],
    ][]) {
      if (!s) continue;
      const vsDirect = name === 'direct' ? '–' : fmtRatio(ratio(s.p50, direct));
      lines.push(
        row(
          r.scenario.name,
          TARGET_LABELS[name],
          fmt(s.p50, 2),
          fmt(s.p99, 2),
          fmt(s.requests),
          s.errors,
          s.graphqlErrors,
          vsDirect,
        ),
      );
    }
  }
  lines.push('');
  return lines;
}
