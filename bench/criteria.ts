import { fmtRatio, ratio, row, rule } from './markdown';
import type { BenchResults } from './report';
import type { ScenarioResult } from './scenario.runner';

/** The targets of issue #14, checked against this run's figures. */
export function criteria(results: ScenarioResult[], baseline?: BenchResults): string[] {
  const rows: string[] = [];
  const check = (what: string, scenario: string, value: number | undefined, bar: number, atMost = false) => {
    const met = value === undefined ? 'not measured' : (atMost ? value <= bar : value >= bar) ? 'yes' : '**no**';
    rows.push(row(what, scenario, fmtRatio(value), met));
  };
  const queries = results.filter((r) => r.scenario.kind !== 'mutation' && !r.skipped);
  for (const r of queries) {
    check(
      'router (caches off) ≥ 1.0× Hive Gateway, requests/s',
      r.scenario.name,
      ratio(r.targets.router?.rps, r.targets.hive?.rps),
      1,
    );
  }
  // The issue counts the entity cache here (not the response cache): where a scenario fetches
  // entities across subgraphs, the router with only its entity cache on is the one compared.
  for (const r of queries) {
    const entity = r.targets['router-entity'];
    check(
      entity
        ? 'router (entity cache only) ≥ 1.5× plain @apollo/gateway, requests/s'
        : 'router (caches off) ≥ 1.5× plain @apollo/gateway, requests/s',
      r.scenario.name,
      ratio((entity ?? r.targets.router)?.rps, r.targets.plain?.rps),
      1.5,
    );
  }
  for (const r of queries.filter((q) => q.scenario.kind === 'distinct' && q.scenario.compareDirect)) {
    check(
      'router (caches off) p50 ≤ 1.25× the direct call',
      r.scenario.name,
      ratio(r.targets.router?.p50, r.targets.direct?.p50),
      1.25,
      true,
    );
  }
  for (const r of queries.filter((q) => q.paced?.router && q.paced.direct)) {
    check(
      `router (caches off) p50 ≤ 1.25× the direct call, at a steady ${r.paced!.router!.rate} requests/s (a reading the issue did not name)`,
      r.scenario.name,
      ratio(r.paced!.router!.p50, r.paced!.direct!.p50),
      1.25,
      true,
    );
  }
  // The same bar for a hop that does nothing (bench/peers/http-forwarder.server.ts): what any
  // gateway's p50 ratio starts from on this machine.
  for (const r of queries.filter((q) => q.scenario.kind === 'distinct' && q.targets.forwarder && q.targets.direct)) {
    check(
      'for reference, not a target: a bare HTTP forwarder p50 ≤ 1.25× the direct call',
      r.scenario.name,
      ratio(r.targets.forwarder!.p50, r.targets.direct!.p50),
      1.25,
      true,
    );
  }
  for (const r of queries.filter((q) => q.paced?.forwarder && q.paced.direct)) {
    check(
      `for reference, not a target: a bare HTTP forwarder p50 ≤ 1.25× the direct call, at a steady ${r.paced!.forwarder!.rate} requests/s`,
      r.scenario.name,
      ratio(r.paced!.forwarder!.p50, r.paced!.direct!.p50),
      1.25,
      true,
    );
  }
  for (const id of ['me', 'case-by-id']) {
    const now = results.find((r) => r.scenario.id === id);
    const before = baseline?.scenarios.find((r) => r.scenario.id === id)?.targets.direct?.rps;
    if (now)
      check(
        'direct ≥ 2× the baseline run, requests/s',
        now.scenario.name,
        before ? ratio(now.targets.direct?.rps, before) : undefined,
        2,
      );
  }
  const source = baseline
    ? `, except the direct ones, which compare with the baseline run given as BENCH_BASELINE${baseline.commit ? ` (of ${baseline.commit})` : ''}`
    : '; the direct ones need a baseline run (BENCH_BASELINE: the JSON of an earlier run, written with BENCH_JSON)';
  return [
    '## Targets (issue #14)',
    '',
    `Each figure is a ratio of medians from this run${source}.`,
    '',
    row('target', 'scenario', 'figure', 'met'),
    rule(4),
    ...rows,
    '',
  ];
}
