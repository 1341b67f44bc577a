/**
 * `npm run bench`: builds (unless BENCH_SKIP_BUILD=1), starts the production topology (one process
 * per service, this machine's Postgres and Redis, a fresh database prefix, every process on a port
 * of its own choosing) with router processes of its own for the other router targets, starts the
 * peers (Hive Gateway, plain @apollo/gateway) and a bare HTTP forwarder each in its own process on
 * the same supergraph and subgraphs (bench/target.processes.ts), seeds data, measures every scenario on every target interleaved, then the subscription fan-out
 * and the risk-zone recompute, and writes BENCHMARKS.md. Not part of `npm test`. Settings: see
 * `settings()` below and the README.
 */
import { execFileSync, execSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deleteRedisKeys, dropSubgraphDatabases } from '../scripts/databases';
import { startProduction } from '../scripts/start-production';
import { benchFanout, type FanoutResult } from './fanout.bench';
import { dropDatabase, quiesce } from './metrics.probe';
import { parallelCapacity } from './machine.probe';
import type { PeerProcess } from './peers/peer.process';
import { writeReport, type BenchResults } from './report';
import { benchRiskZones, type RiskZoneBenchResult } from './risk-zones.bench';
import { SCENARIOS } from './scenario.catalog';
import { ScenarioFailure, measureScenario, targetsOf, type ScenarioResult } from './scenario.runner';
import type { BenchContext } from './scenarios';
import { seed } from './seed';
import { startTargets } from './target.processes';
import { TARGET_ORDER, type TargetName } from './targets';

const ROOT = join(__dirname, '..');
/** Requests per minute per client address and per user that the bench's router allows. */
const RATE_CEILING = 1_000_000_000;
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const list = (name: string) =>
  process.env[name]
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The bench's settings, from the environment (documented in the README's `npm run bench` row). */
function settings() {
  const s = {
    load: {
      runs: num('BENCH_RUNS', 3),
      seconds: num('BENCH_SECONDS', 8),
      connections: num('BENCH_CONNECTIONS', 20),
      ...(process.env.BENCH_RATE ? { rate: num('BENCH_RATE', 0) } : {}),
      warmupSeconds: num('BENCH_WARMUP_SECONDS', 2),
      paced: { rate: num('BENCH_PACED_RATE', 100), seconds: num('BENCH_PACED_SECONDS', 5) },
    },
    size: { users: num('BENCH_USERS', 200), cases: num('BENCH_CASES', 2000) },
    subscribers: num('BENCH_SUBSCRIBERS', 1_000),
    fanoutEvents: num('BENCH_FANOUT_EVENTS', 10),
    zoneCases: num('BENCH_ZONE_CASES', 100_000),
    out: resolve(ROOT, process.env.BENCH_OUT ?? 'BENCHMARKS.md'),
    json: process.env.BENCH_JSON ? resolve(ROOT, process.env.BENCH_JSON) : undefined,
    /** JSON files of earlier runs (BENCH_JSON), comma-separated; their scenarios are merged. */
    baselines: (list('BENCH_BASELINE') ?? []).map((file) => resolve(ROOT, file)),
    /** A run's JSON to render again (with the baselines) instead of measuring. */
    reportFrom: process.env.BENCH_REPORT_FROM ? resolve(ROOT, process.env.BENCH_REPORT_FROM) : undefined,
    /** Scenario ids or names (plus `fanout`, `risk-zones`); absent: all. */
    scenarios: list('BENCH_SCENARIOS'),
    targets: (list('BENCH_TARGETS') ?? TARGET_ORDER) as TargetName[],
    /** Environment of the caches-off router process: NAME=value pairs, comma-separated. */
    uncachedEnv: Object.fromEntries(
      (list('BENCH_UNCACHED_ENV') ?? ['RESPONSE_CACHE=false', 'ENTITY_CACHE_SIZE=0']).map((pair) =>
        pair.split(/=(.*)/s).slice(0, 2),
      ),
    ) as Record<string, string>,
    skipBuild: process.env.BENCH_SKIP_BUILD === '1',
  };
  const unknown = s.targets.filter((t) => !TARGET_ORDER.includes(t));
  if (unknown.length)
    throw new Error(`BENCH_TARGETS: unknown ${unknown.join(', ')} (known: ${TARGET_ORDER.join(', ')})`);
  // Direct calls carry identity signatures made per round, which live 60 s.
  if (s.load.seconds > 50 || s.load.warmupSeconds > 50)
    throw new Error('BENCH_SECONDS and BENCH_WARMUP_SECONDS must be at most 50');
  return s;
}

const wanted = (ids: string[] | undefined, ...names: string[]) => !ids || names.some((n) => ids.includes(n));

/** The scenarios of every baseline file, merged (a later file's scenario wins). */
function readBaseline(files: string[]): BenchResults | undefined {
  if (!files.length) return undefined;
  const runs = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as BenchResults);
  const byId = new Map(runs.flatMap((run) => run.scenarios.map((r) => [r.scenario.id, r] as const)));
  return { ...runs[0]!, scenarios: [...byId.values()] };
}

async function main(): Promise<void> {
  const opts = settings();
  if (opts.reportFrom) {
    // Renders a finished run again, e.g. with a baseline measured after it; nothing is measured.
    writeReport(
      opts.out,
      JSON.parse(readFileSync(opts.reportFrom, 'utf8')) as BenchResults,
      readBaseline(opts.baselines),
    );
    console.log(`wrote ${opts.out} from ${opts.reportFrom}`);
    return;
  }
  if (!opts.skipBuild) {
    console.log('building…');
    execSync('npm run --silent build', { cwd: ROOT, stdio: 'inherit' });
  }
  console.log('measuring the parallel capacity of the machine…');
  const capacityBefore = await parallelCapacity();
  const prefix = `bench_${Date.now()}`;
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/');
  server.pathname = `/${prefix}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const secret = randomBytes(32).toString('base64url');
  console.log('starting the production topology…');
  const topology = await startProduction({
    databaseUrl: server.toString(),
    redisUrl,
    ports: 'free',
    quiet: true,
    env: {
      NODE_ENV: 'production',
      SEED: 'true',
      LOG_LEVEL: 'error',
      REDIS_PREFIX: prefix,
      ROUTER_SIGNING_SECRET: secret,
      JWT_PRIVATE_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      TOTP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      // Rate limits stay on (a Redis count per request, as in production), with a ceiling no
      // client reaches: one client address sends all the load, and the production ceilings
      // would only measure 429s.
      RATE_LIMIT_IP_PER_MINUTE: String(RATE_CEILING),
      RATE_LIMIT_USER_PER_MINUTE: String(RATE_CEILING),
    },
  });
  const subgraphs = topology.services.filter((s) => s.name !== 'router' && !s.name.includes('#'));
  const subgraphUrls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url]));
  const peers: PeerProcess[] = [];
  const results: ScenarioResult[] = [];
  let fanout: FanoutResult | undefined;
  try {
    console.log(`seeding ${opts.size.users} users${subgraphUrls.cases ? ` and ${opts.size.cases} cases` : ''}…`);
    const seeded = await seed(topology.routerUrl, opts.size, !!subgraphUrls.cases);
    const ctx: BenchContext = { routerUrl: topology.routerUrl, subgraphUrls, ...seeded };
    const targets = await startTargets(opts.targets, { topology, ctx, secret, uncachedEnv: opts.uncachedEnv, peers });
    console.log('waiting until every service has digested the seed events…');
    await quiesce(subgraphUrls);
    for (const scenario of SCENARIOS.filter((s) => wanted(opts.scenarios, s.id, s.name))) {
      const missing = scenario.needs.filter((n) => !subgraphUrls[n]);
      const taking = targetsOf(scenario, targets);
      if (missing.length || !taking.length) {
        const skipped = missing.length
          ? `needs ${missing.join(', ')}, not in this topology yet`
          : 'no selected target applies';
        results.push({ scenario, distinctRequests: 0, targets: {}, skipped });
        continue;
      }
      console.log(`scenario: ${scenario.name} on ${taking.map((t) => t.name).join(', ')}`);
      try {
        results.push(await measureScenario(scenario, taking, ctx, opts.load));
      } catch (err) {
        if (!(err instanceof ScenarioFailure)) throw err;
        console.error(`\nSCENARIO FAILED: ${err.message}\n`);
        results.push({ scenario, distinctRequests: 0, targets: {}, failed: err.message });
      }
    }
    if (subgraphUrls.notifications && subgraphUrls.cases && wanted(opts.scenarios, 'fanout')) {
      // The mutations above left events behind (sightings notify reporters); alerts would queue behind them.
      console.log("waiting until the scenarios' events are digested…");
      await quiesce(subgraphUrls);
      console.log(`subscription fan-out to ${opts.subscribers} subscribers…`);
      await ctx.sessions.fresh();
      const token = ctx.sessions.users[0]!.accessToken;
      fanout = await benchFanout({
        routerUrl: topology.routerUrl,
        token,
        subscribers: opts.subscribers,
        events: opts.fanoutEvents,
      });
    }
  } finally {
    await Promise.all(peers.map((p) => p.stop()));
    await topology.stop();
    await dropSubgraphDatabases(server.toString());
    await deleteRedisKeys(redisUrl, prefix);
  }
  const capacityAfter = await parallelCapacity();
  // After the topology is gone, so the recompute has the machine to itself like in production.
  let zones: RiskZoneBenchResult | undefined;
  if (wanted(opts.scenarios, 'risk-zones')) {
    console.log(`recomputeRiskZones over ${opts.zoneCases.toLocaleString('en-US')} synthetic cases…`);
    const zonesDb = new URL(server.toString());
    zonesDb.pathname = `/${prefix}_riskzones`;
    try {
      zones = await benchRiskZones({ cases: opts.zoneCases, runs: opts.load.runs, databaseUrl: zonesDb.toString() });
    } finally {
      await dropDatabase(zonesDb.toString());
    }
  }
  const baseline = readBaseline(opts.baselines);
  const data: BenchResults = {
    commit: commitOf(ROOT),
    load: opts.load,
    size: opts.size,
    uncachedEnv: opts.uncachedEnv,
    machine: { before: capacityBefore, after: capacityAfter },
    scenarios: results,
    fanout,
    zones,
  };
  writeReport(opts.out, data, baseline);
  console.log(`wrote ${opts.out}`);
  if (opts.json)
    writeFileSync(
      opts.json,
      JSON.stringify(data, (k, v: unknown) => (k === 'operation' ? undefined : v), 2),
    );
  const failed = results.filter((r) => r.failed);
  if (failed.length) {
    console.error(
      `${failed.length} scenario(s) FAILED: ${failed.map((r) => r.scenario.name).join(', ')}; see ${opts.out}`,
    );
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/** The commit of the tree at `dir`, or undefined outside a git checkout. */
function commitOf(dir: string): string | undefined {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: dir, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}
