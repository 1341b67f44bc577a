import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FanoutResult } from './fanout.bench';
import type { LoadSummary } from './load';
import type { RiskZoneBenchResult } from './risk-zones.bench';
import type { LoadOptions, ScenarioResult } from './scenario.runner';
import type { ScenarioKind } from './scenarios';
import { criteria } from './criteria';
import type { ParallelCapacity } from './machine.probe';
import { fmt, fmtRatio, ratio, row, rule } from './markdown';
import { pacedSection } from './paced.report';
import { TARGET_LABELS, type TargetName } from './targets';

/** Everything one `npm run bench` measured (also written as JSON with BENCH_JSON, for BENCH_BASELINE). */
export interface BenchResults {
  /** The measured tree's commit (`git describe --always --dirty`), when known. */
  commit?: string;
  load: LoadOptions;
  size: { users: number; cases: number };
  uncachedEnv: Record<string, string>;
  /** The machine's parallel capacity, read before the topology started and after it stopped. */
  machine?: { before: ParallelCapacity; after: ParallelCapacity };
  scenarios: ScenarioResult[];
  fanout?: FanoutResult;
  zones?: RiskZoneBenchResult;
}

/** A paragraph written as several source lines. */
const para = (...parts: string[]) => parts.join(' ');

const KIND_TITLES: Record<ScenarioKind, string> = {
  identical: 'Identical requests',
  distinct: 'Distinct requests',
  mutation: 'Mutations',
};
const KIND_TEXT: Record<ScenarioKind, string> = {
  identical: para(
    'Every client sends the same request, as public gateway benchmarks do:',
    'what a gateway can collapse (in-flight deduplication) or cache.',
  ),
  distinct: 'Requests rotate over inputs that nothing can collapse: seeded case ids, signed-in users, list cursors.',
  mutation: 'Each request changes data; measured on our router only.',
};

const FIGURE_COLUMNS = [
  'scenario',
  'target',
  'requests/s',
  'p50 ms',
  'p99 ms',
  'non-2xx',
  'GraphQL errors',
  'subgraph operations / request',
  'CPU ms / request',
  'spread',
];

function figureRow(scenario: string, target: TargetName, s: LoadSummary): string {
  const upstream = s.upstreamPerRequest === null ? '–' : fmt(s.upstreamPerRequest, 2);
  const spread = `${fmt(s.spread * 100)} %`;
  return row(
    scenario,
    TARGET_LABELS[target],
    fmt(s.rps),
    fmt(s.p50, 1),
    fmt(s.p99, 1),
    s.errors,
    s.graphqlErrors,
    upstream,
    s.cpuMsPerRequest === null ? '–' : fmt(s.cpuMsPerRequest, 2),
    spread,
  );
}

function ratioRows(measured: ScenarioResult[], ours: TargetName): string[] {
  const lines = [
    row(
      'scenario',
      'requests',
      `${TARGET_LABELS[ours]} / Hive, requests/s`,
      '/ plain gateway, requests/s',
      'p50 / direct p50',
      'SQL statements per operation',
    ),
    rule(6),
  ];
  for (const r of measured) {
    const t = r.targets;
    const sql = r.sql
      ? Object.entries(r.sql)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')
      : '–';
    const vsHive = fmtRatio(ratio(t[ours]?.rps, t.hive?.rps));
    const vsPlain = fmtRatio(ratio(t[ours]?.rps, t.plain?.rps));
    const vsDirect = fmtRatio(ratio(t[ours]?.p50, t.direct?.p50));
    lines.push(row(r.scenario.name, `${fmt(r.distinctRequests)} different`, vsHive, vsPlain, vsDirect, sql));
  }
  return lines;
}

/** The tables of one kind of scenario: caches off, then caches on, each with the ratios of the same run. */
function kindSection(kind: ScenarioKind, results: ScenarioResult[]): string[] {
  const measured = results.filter((r) => r.scenario.kind === kind && !r.skipped && !r.failed);
  if (!measured.length) return [];
  const lines = [`## ${KIND_TITLES[kind]}`, '', KIND_TEXT[kind], ''];
  const sections: [string, TargetName, TargetName[]][] = [
    [
      'Caches off (our router with its response and entity caches off; the peers as they come)',
      'router',
      ['router', 'router-gateway', 'hive', 'plain', 'forwarder', 'direct'],
    ],
    [
      'Entity cache only (our router with its response cache off; where entities are fetched across subgraphs)',
      'router-entity',
      ['router-entity'],
    ],
    [
      'Caches on (our router as deployed; compared with the peers of the same rounds)',
      'router-cached',
      ['router-cached'],
    ],
  ];
  for (const [title, ours, shown] of sections) {
    if (!measured.some((r) => shown.some((t) => r.targets[t]))) continue;
    lines.push(`### ${title}`, '', row(...FIGURE_COLUMNS), rule(FIGURE_COLUMNS.length));
    for (const r of measured)
      for (const t of shown) if (r.targets[t]) lines.push(figureRow(r.scenario.name, t, r.targets[t]!));
    lines.push('');
    if (kind !== 'mutation')
      lines.push(
        ...ratioRows(
          measured.filter((r) => r.targets[ours]),
          ours,
        ),
        '',
      );
  }
  // The one measurable sign that the "caches off" router still answers from a cache.
  for (const r of measured) {
    const router = r.targets.router?.upstreamPerRequest;
    const plain = r.targets.plain?.upstreamPerRequest;
    if (kind === 'distinct' && router != null && plain != null && router < 0.9 * plain) {
      lines.push(
        para(
          `**Warning:** on ${r.scenario.name} the caches-off router made ${fmt(router, 2)} subgraph operations per request,`,
          `the plain gateway ${fmt(plain, 2)}: its caches may not be off (BENCH_UNCACHED_ENV).`,
        ),
        '',
      );
    }
  }
  return lines;
}

function fanoutSection(f: FanoutResult): string[] {
  return [
    '## Subscription fan-out (AlertRaised)',
    '',
    para(
      `${fmt(f.subscribers)} graphql-ws clients on one router, all subscribed to AlertRaised (one shared upstream subscription);`,
      `${f.events} cases reported one after another, once the earlier scenarios' events had been digested.`,
      'Latency from sending ReportCase to each client receiving the alert with its case fields',
      '(mutation → outbox → relay → Redis Streams → notifications → Redis pub/sub → router, which resolves the case from cases → sockets):',
    ),
    '',
    row('deliveries', 'p50 ms', 'p99 ms', 'max ms'),
    rule(4),
    row(
      `${fmt(f.delivered)} of ${fmt(f.subscribers * f.events)}`,
      f.p50.toFixed(0),
      f.p99.toFixed(0),
      f.max.toFixed(0),
    ),
    '',
    `Slowest delivery of each event, in order (ms): ${f.slowestPerEvent.map((ms) => ms.toFixed(0)).join(', ')}.`,
    '',
  ];
}

function zonesSection(z: RiskZoneBenchResult): string[] {
  const ms = (values: number[]) => `[${values.map((v) => v.toFixed(0)).join(', ')}]`;
  return [
    '## recomputeRiskZones',
    '',
    para(
      "The analytics subgraph's full recompute (read the open cases, cluster within 2 km on a grid index, score, write the zones)",
      `over ${fmt(z.cases)} synthetic cases (${fmt(z.openCases)} open with a location → ${fmt(z.zones)} zones) on PostgreSQL, with the services stopped:`,
    ),
    '',
    row('recompute', 'median ms', 'runs ms'),
    rule(3),
    row(
      'warm: 1 % of the cases changed since the last recompute (the usual case)',
      z.warmMedianMs.toFixed(0),
      ms(z.warmMs),
    ),
    row('cold: nothing stored yet (first start, rebuild)', z.coldMedianMs.toFixed(0), ms(z.coldMs)),
    '',
  ];
}

/** The parallel capacity paragraph (bench/machine.probe.ts), when the run measured it. */
function capacityLines(machine: BenchResults['machine']): string[] {
  if (!machine) return [];
  const { before, after } = machine;
  const x = (c: ParallelCapacity) => `${c.capacity.toFixed(2)}×`;
  return [
    para(
      `Parallel capacity: ${before.processes} CPU-bound processes at once did ${x(before)} the work of one alone before the run`,
      `and ${x(after)} after it (${before.processes}× on cores that do not slow each other; bench/machine.probe.ts).`,
      'A direct call keeps one process busy (the subgraph) with the load generator beside it; a gateway path keeps the gateway busy too,',
      'so on a machine whose cores slow each other, every process of that path runs slower than it does alone.',
    ),
    '',
  ];
}

/** How the run was made: topology, peers, data and load, and what each column means. */
function method(data: BenchResults): string[] {
  const { load } = data;
  const uncached = Object.entries(data.uncachedEnv)
    .map(([k, val]) => `\`${k}=${val}\``)
    .join(', ');
  return [
    para(
      "Topology: the production path on one machine — every subgraph and our router its own process from built JavaScript, on this machine's PostgreSQL and Redis.",
      `Four router processes: one as deployed (caches on), one with its caches off (${uncached}),`,
      'one with only its entity cache on (the response cache off; measured where a scenario fetches entities across subgraphs),',
      'and one with its caches and its single-fetch shortcut off (`SINGLE_FETCH_SHORTCUT=false`: every query executed by the gateway, to show what the shortcut gains).',
      'Hive Gateway and the plain @apollo/gateway + Apollo Server each run in a process of their own on the same supergraph and subgraphs,',
      'doing the work our router does for a request: verifying the bearer access token against the users JWKS (ES256)',
      "and signing the caller's identity on every subgraph fetch.",
      'Where a scenario has a direct call, it also runs through a bare HTTP forwarder in a process of its own',
      '(bench/peers/http-forwarder.server.ts: the same requests passed on over a keep-alive undici pool, no GraphQL):',
      'the least any gateway hop adds on this machine.',
      'Every feature of our router stays on (JWT verification, signed identity, operation limits, metrics, per-IP and per-user rate limits',
      'counted in Redis, with a ceiling no client reaches since one client address sends all the load),',
      'and so does its merging of concurrent single-fetch queries of one caller and document into one subgraph operation',
      '(`SINGLE_FETCH_MERGE_MAX`, default 8), and its batching of concurrent queries for one subgraph, whoever asks, into one batch request',
      '(`SUBGRAPH_BATCH_MAX`, default 8); neither caches anything: every answer is fetched for the requests it answers.',
      "The load generator (autocannon) runs in the bench's own process on the same 2 cores,",
      'so absolute figures are lower than on separate machines; the ratios are the point.',
    ),
    '',
    para(
      `Data: ${data.size.users} users, ${data.size.cases} cases.`,
      'Measured after every service had digested the seed events (outboxes empty, consumers idle and the services together under 0.15 of a core for 5 s).',
      `Load: ${load.connections} connections${load.rate ? ` sending ${load.rate} requests/s in all` : ''}; per scenario, ${load.warmupSeconds} s of unrecorded warm-up per target,`,
      `then ${load.runs} rounds in which every target runs ${load.seconds} s in turn (round-robin, starting one target later each round).`,
      'Figures are medians over the rounds; "spread" is (max − min) / median of requests/s; latencies are of 2xx answers;',
      '"GraphQL errors" counts answers carrying `errors` (a sample of every target\'s answers is checked before the load,',
      'and a scenario whose answers carry errors or differ between targets fails the run);',
      '"subgraph operations / request" is the GraphQL operations all subgraphs served during the run per request answered',
      '(lower where a gateway or a subgraph collapsed or cached requests);',
      '"CPU ms / request" is the CPU time (user + system, from /proc) of the process that served the target',
      "during the run per request answered: the server's own cost, which a busy machine disturbs far less than requests/s.",
    ),
    '',
  ];
}

/**
 * Writes BENCHMARKS.md: machine, versions, settings, the issue #14 targets, identical and distinct
 * scenarios apart (caches off and on apart, each with its ratios from the same rounds), failures,
 * the fan-out and recompute figures, then the hand-kept log of optimisations (`bench/optimisations.md`).
 */
export function writeReport(file: string, data: BenchResults, baseline?: BenchResults): void {
  const pkg = (name: string) =>
    JSON.parse(readFileSync(join(__dirname, '..', 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    };
  const versions = [
    '@apollo/gateway',
    '@apollo/server',
    '@graphql-hive/gateway-runtime',
    'graphql',
    '@mikro-orm/core',
    'pg',
    'autocannon',
  ];
  const lines = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench`. Do not edit by hand. -->',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}${data.commit ? ` at ${data.commit}` : ''}: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    `Versions: ${versions.map((name) => `${name} ${pkg(name).version}`).join(', ')}.`,
    '',
    ...capacityLines(data.machine),
    ...method(data),
    ...criteria(data.scenarios, baseline),
  ];
  const notMeasured = data.scenarios.filter((r) => r.failed || r.skipped);
  if (notMeasured.length) {
    lines.push(
      '## Not measured',
      '',
      ...notMeasured.map((r) => `- ${r.scenario.name}: ${r.failed ? `**FAILED** — ${r.failed}` : r.skipped}`),
      '',
    );
  }
  for (const kind of ['identical', 'distinct', 'mutation'] as const) lines.push(...kindSection(kind, data.scenarios));
  lines.push(...pacedSection(data.scenarios));
  if (data.fanout) lines.push(...fanoutSection(data.fanout));
  if (data.zones) lines.push(...zonesSection(data.zones));
  lines.push(readFileSync(join(__dirname, 'optimisations.md'), 'utf8').trimEnd());
  writeFileSync(file, lines.join('\n') + '\n');
}
