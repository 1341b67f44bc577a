import { median, runLoad, summarize, type LoadSummary, type PreparedRequest } from './load';
import { runPaced, type PacedResult } from './paced.load';
import { processCpuMs } from './process.cpu';
import { sqlPerOperation, subgraphOperations } from './metrics.probe';
import type { BenchContext, Scenario } from './scenarios';
import type { Target, TargetName } from './targets';

/** Load settings of one bench run. */
export interface LoadOptions {
  /** Rounds per scenario; every target runs once per round. */
  runs: number;
  seconds: number;
  connections: number;
  /** Requests/s over all connections (BENCH_RATE); absent: as fast as each target answers. */
  rate?: number;
  /** Unrecorded load per target before the first round (JIT, connection pools, caches). */
  warmupSeconds: number;
  /**
   * After the rounds, the distinct scenarios that compare with a direct call run again on the
   * targets in {@link PACED_TARGETS}, paced at `rate` requests/s for `seconds` per round
   * (BENCH_PACED_RATE, BENCH_PACED_SECONDS; a rate of 0 skips this).
   */
  paced?: { rate: number; seconds: number };
}

/**
 * The targets of a paced run: our router with its caches off, the peers, the bare forwarder, the
 * subgraph directly.
 */
export const PACED_TARGETS: TargetName[] = ['router', 'hive', 'plain', 'forwarder', 'direct'];

/** Paced figures of one target: medians over the rounds. */
export interface PacedSummary extends PacedResult {
  runs: PacedResult[];
}

/** What one scenario measured, or why it did not run. */
export interface ScenarioResult {
  scenario: Scenario;
  skipped?: string;
  /** Why the scenario could not be measured honestly (the bench then exits non-zero). */
  failed?: string;
  /** Different requests sent in rotation. */
  distinctRequests: number;
  targets: Partial<Record<TargetName, LoadSummary>>;
  sql?: Record<string, number>;
  /** Latencies at a steady rate (see {@link LoadOptions.paced}), by target. */
  paced?: Partial<Record<TargetName, PacedSummary>>;
}

/** A scenario that answers errors, wrong data or nothing: measuring it would mean nothing. */
export class ScenarioFailure extends Error {}

/** The targets that take part in `scenario`, in round-robin order. */
export function targetsOf(scenario: Scenario, targets: Target[]): Target[] {
  return targets.filter((t) => {
    if (t.name === 'direct' || t.name === 'forwarder') return !!scenario.compareDirect;
    if (t.name === 'hive' || t.name === 'plain') return scenario.comparePeers;
    if (t.name === 'router-gateway') return scenario.kind !== 'mutation'; // mutations never take the shortcut
    // Only entities fetched from another subgraph can come from the entity cache.
    if (t.name === 'router-entity') return scenario.kind !== 'mutation' && scenario.needs.length > 1;
    return true;
  });
}

/**
 * Measures one scenario on `targets` interleaved: after checking that every target answers the
 * same data without errors, each round runs every target once, round-robin, starting one target
 * later each round, so drift of the machine hits all alike; figures are medians over the rounds.
 */
export async function measureScenario(
  scenario: Scenario,
  targets: Target[],
  ctx: BenchContext,
  opts: LoadOptions,
): Promise<ScenarioResult> {
  const requests = scenario.requests(ctx);
  if (!requests.length) throw new ScenarioFailure(`${scenario.name} has no requests (nothing seeded for it?)`);
  await ctx.sessions.fresh();
  await checkAnswers(scenario, targets, ctx);
  const first = targets[0]!;
  const [sample] = await first.prepare(scenario, requests.slice(0, 1));
  const sql = await sqlPerOperation(
    ctx.subgraphUrls,
    scenario.sqlFrom,
    async () => void (await send(first.url(scenario), sample!)),
  );
  const subgraphs = Object.values(ctx.subgraphUrls);
  if (opts.warmupSeconds > 0) {
    for (const t of targets)
      await runLoad(t.url(scenario), await t.prepare(scenario, requests), { ...opts, seconds: opts.warmupSeconds });
  }
  const runs = await interleaved(targets, opts.runs, ctx, async (target, round) => {
    const prepared = await target.prepare(scenario, requests);
    const before = await subgraphOperations(subgraphs);
    const cpuBefore = processCpuMs(target.pid(scenario));
    const run = await runLoad(target.url(scenario), prepared, opts);
    const cpuAfter = processCpuMs(target.pid(scenario));
    const upstream = (await subgraphOperations(subgraphs)) - before;
    const cpu = cpuBefore !== null && cpuAfter !== null && run.requests ? (cpuAfter - cpuBefore) / run.requests : null;
    console.log(
      `  ${scenario.name} round ${round + 1} ${target.name}: ${run.rps.toFixed(0)} req/s, p50 ${run.p50.toFixed(1)} ms`,
    );
    return { ...run, upstreamPerRequest: run.requests ? upstream / run.requests : null, cpuMsPerRequest: cpu };
  });
  const pacing = opts.paced?.rate && scenario.kind === 'distinct' && scenario.compareDirect;
  return {
    scenario,
    distinctRequests: requests.length,
    targets: Object.fromEntries([...runs].map(([name, r]) => [name, summarize(r)])),
    sql,
    ...(pacing ? { paced: await measurePaced(scenario, targets, ctx, requests, opts) } : {}),
  };
}

/** The paced rounds of a scenario on the {@link PACED_TARGETS} among `targets`, interleaved as the others. */
async function measurePaced(
  scenario: Scenario,
  all: Target[],
  ctx: BenchContext,
  requests: ReturnType<Scenario['requests']>,
  opts: LoadOptions,
): Promise<Partial<Record<TargetName, PacedSummary>>> {
  const { rate, seconds } = opts.paced!;
  const targets = all.filter((t) => PACED_TARGETS.includes(t.name));
  // One unrecorded second each: the paced client opens its own connections.
  await ctx.sessions.fresh();
  for (const t of targets)
    await runPaced(t.url(scenario), await t.prepare(scenario, requests), { ...opts, rate, seconds: 1 });
  const runs = await interleaved(targets, opts.runs, ctx, async (target, round) => {
    const run = await runPaced(target.url(scenario), await target.prepare(scenario, requests), {
      ...opts,
      rate,
      seconds,
    });
    console.log(`  ${scenario.name} paced round ${round + 1} ${target.name}: p50 ${run.p50.toFixed(2)} ms`);
    return run;
  });
  return Object.fromEntries(
    [...runs].map(([name, r]) => [
      name,
      {
        rate,
        p50: median(r.map((x) => x.p50)),
        p99: median(r.map((x) => x.p99)),
        requests: r.reduce((n, x) => n + x.requests, 0),
        errors: r.reduce((n, x) => n + x.errors, 0),
        graphqlErrors: r.reduce((n, x) => n + x.graphqlErrors, 0),
        runs: r,
      },
    ]),
  );
}

/**
 * Runs `measure` `rounds` times on every target, round-robin, starting one target later each
 * round, with fresh sessions per round, so drift of the machine hits all alike; the results by target.
 */
async function interleaved<R>(
  targets: Target[],
  rounds: number,
  ctx: BenchContext,
  measure: (target: Target, round: number) => Promise<R>,
): Promise<Map<TargetName, R[]>> {
  const runs = new Map<TargetName, R[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < rounds; round++) {
    await ctx.sessions.fresh();
    for (let k = 0; k < targets.length; k++) {
      const target = targets[(round + k) % targets.length]!;
      runs.get(target.name)!.push(await measure(target, round));
    }
  }
  return runs;
}

/**
 * Sends up to five of the scenario's requests (spread over its rotation) to every target before
 * the load, and fails unless each answers HTTP 200 without GraphQL errors, with a non-null value
 * for every root field, and (queries) with the same data as the first target.
 */
async function checkAnswers(scenario: Scenario, targets: Target[], ctx: BenchContext): Promise<void> {
  const all = scenario.requests(ctx);
  const step = Math.max(1, Math.floor(all.length / 5));
  const picked = all.filter((_, i) => i % step === 0).slice(0, 5);
  const expected: string[] = [];
  for (const target of targets) {
    const prepared = await target.prepare(scenario, picked);
    for (const [i, request] of prepared.entries()) {
      const { status, json } = await send(target.url(scenario), request);
      const where = `${scenario.name} on ${target.name} (request ${i + 1} of ${prepared.length})`;
      if (status !== 200 || json.errors?.length) {
        throw new ScenarioFailure(
          `${where} answered HTTP ${status} with ${JSON.stringify(json.errors ?? json).slice(0, 500)}`,
        );
      }
      const nullRoot = Object.entries(json.data ?? {}).find(([, v]) => v === null);
      if (!json.data || nullRoot)
        throw new ScenarioFailure(`${where} answered no data for ${nullRoot?.[0] ?? 'the operation'}`);
      if (scenario.kind === 'mutation') continue;
      const data = canonical(json.data);
      if (expected[i] === undefined) expected[i] = data;
      else if (expected[i] !== data) {
        throw new ScenarioFailure(`${where} answered other data than ${targets[0]!.name}: ${data.slice(0, 300)}`);
      }
    }
  }
}

interface Answer {
  status: number;
  json: { data?: Record<string, unknown> | null; errors?: unknown[] };
}

async function send(url: string, request: PreparedRequest): Promise<Answer> {
  const headers = { 'content-type': 'application/json', ...request.headers };
  const res = await fetch(url, { method: 'POST', headers, body: request.body });
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) };
  } catch {
    return { status: res.status, json: { errors: [text.slice(0, 200)] } };
  }
}

/** JSON with object keys sorted, so two servers' answers compare by content alone. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
