/**
 * `npm run bench`: builds, starts the production topology (one process per service, this machine's
 * Postgres and Redis, a fresh database prefix), seeds data, drives load with autocannon, and writes
 * BENCHMARKS.md. Not part of `npm test`. Settings: BENCH_RUNS (3), BENCH_SECONDS (8),
 * BENCH_CONNECTIONS (20), BENCH_USERS (200), BENCH_CASES (2000), BENCH_SUBSCRIBERS (1000),
 * BENCH_ZONE_CASES (100000), BENCH_OUT (the file to write, BENCHMARKS.md), DATABASE_URL / REDIS_URL
 * (server URLs).
 */
import { execSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDENTITY_HEADER, signIdentity } from '@supergraph/kit';
import { deleteRedisKeys, dropSubgraphDatabases } from '../scripts/databases';
import { freePort, startProduction } from '../scripts/start-production';
import { SUBGRAPHS } from '../scripts/topology';
import { measure, type LoadSummary } from './load';
import { startPlainGateway } from './plain-gateway';
import { writeReport, type ScenarioReport } from './report';
import { SCENARIOS } from './scenario.catalog';
import { benchFanout } from './fanout.bench';
import { benchRiskZones } from './risk-zones.bench';
import { bodyOf, type BenchContext } from './scenarios';
import { Client } from 'pg';
import { seed } from './seed';

const ROOT = join(__dirname, '..');
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  const opts = { runs: env('BENCH_RUNS', 3), seconds: env('BENCH_SECONDS', 8), connections: env('BENCH_CONNECTIONS', 20) };
  const size = { users: env('BENCH_USERS', 200), cases: env('BENCH_CASES', 2000) };
  console.log('building…');
  execSync('npm run --silent build', { cwd: ROOT, stdio: 'inherit' });

  const prefix = `bench_${Date.now()}`;
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/');
  server.pathname = `/${prefix}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const secret = randomBytes(32).toString('base64url');
  const ports: Record<string, number> = {};
  for (const name of [...SUBGRAPHS.map((s) => s.name), 'router']) ports[name] = await freePort();
  console.log('starting the production topology…');
  const topology = await startProduction({
    databaseUrl: server.toString(),
    redisUrl,
    ports,
    quiet: true,
    env: {
      NODE_ENV: 'production',
      SEED: 'true',
      LOG_LEVEL: 'error',
      REDIS_PREFIX: prefix,
      ROUTER_SIGNING_SECRET: secret,
      JWT_PRIVATE_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      TOTP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      RATE_LIMIT_IP_PER_MINUTE: '0',
      RATE_LIMIT_USER_PER_MINUTE: '0',
    },
  });
  const subgraphUrls = Object.fromEntries(topology.services.filter((s) => s.name !== 'router').map((s) => [s.name, s.url]));
  let plain: Awaited<ReturnType<typeof startPlainGateway>> | undefined;
  const reports: ScenarioReport[] = [];
  const extra: string[] = [];
  try {
    console.log(`seeding ${size.users} users${subgraphUrls.cases ? ` and ${size.cases} cases` : ''}…`);
    const seeded = await seed(topology.routerUrl, size, !!subgraphUrls.cases);
    console.log('waiting until every service has digested the seed events…');
    await quiesce(subgraphUrls);
    plain = await startPlainGateway({
      supergraphSdl: readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'),
      urls: subgraphUrls,
      secret,
      identity: { userId: seeded.userId, role: 'USER' },
    });
    const ctx: BenchContext = {
      routerUrl: topology.routerUrl,
      plainGatewayUrl: plain.url,
      subgraphUrls,
      token: seeded.token,
      userId: seeded.userId,
      caseIds: seeded.caseIds,
      signedHeaders: async (identity) => ({ [IDENTITY_HEADER]: await signIdentity(identity, 'bench', secret) }),
    };
    for (const scenario of SCENARIOS) {
      const missing = scenario.needs.filter((n) => !subgraphUrls[n]);
      if (missing.length) {
        reports.push({ scenario, skipped: `needs ${missing.join(', ')}, not in this topology yet` });
        continue;
      }
      console.log(`scenario: ${scenario.name}`);
      const body = bodyOf(scenario, ctx);
      const auth = scenario.authenticated ? { authorization: `Bearer ${ctx.token}` } : undefined;
      const sql = await sqlPerOperation(ctx, scenario.sqlFrom, body, auth);
      const router = await measure({ url: ctx.routerUrl, body, headers: auth }, opts);
      let direct: LoadSummary | undefined;
      if (scenario.compareDirect) {
        const identity = scenario.authenticated ? { userId: ctx.userId, role: 'USER' as const } : {};
        direct = await measure({ url: subgraphUrls[scenario.compareDirect]!, body, freshHeaders: () => ctx.signedHeaders(identity) }, opts);
      }
      const plainResult = scenario.comparePlain ? await measure({ url: plain.url, body }, opts) : undefined;
      reports.push({ scenario, router, direct, plain: plainResult, sql });
    }
    if (subgraphUrls.notifications && subgraphUrls.cases) {
      const subscribers = env('BENCH_SUBSCRIBERS', 1_000);
      // The mutations above left events behind (sightings notify reporters); alerts would queue behind them.
      console.log('waiting until the scenarios\' events are digested…');
      await quiesce(subgraphUrls);
      console.log(`subscription fan-out to ${subscribers} subscribers…`);
      const f = await benchFanout({ routerUrl: topology.routerUrl, token: ctx.token, subscribers, events: env('BENCH_FANOUT_EVENTS', 10) });
      extra.push(
        '## Subscription fan-out (AlertRaised)',
        '',
        `${fmtInt(f.subscribers)} graphql-ws clients on one router, all subscribed to AlertRaised (one shared upstream subscription); ${f.events} cases reported one after another, once the earlier scenarios' events had been digested. Latency from sending ReportCase to each client receiving the alert with its case fields (mutation → outbox → relay → Redis Streams → notifications → Redis pub/sub → router, which resolves the case from cases → sockets):`,
        '',
        '| deliveries | p50 ms | p99 ms | max ms |',
        '|---|---|---|---|',
        `| ${fmtInt(f.delivered)} of ${fmtInt(f.subscribers * f.events)} | ${f.p50.toFixed(0)} | ${f.p99.toFixed(0)} | ${f.max.toFixed(0)} |`,
        '',
        `Slowest delivery of each event, in order (ms): ${f.slowestPerEvent.map((ms) => ms.toFixed(0)).join(', ')}.`,
        '',
      );
    }
  } finally {
    await plain?.stop();
    await topology.stop();
    await dropSubgraphDatabases(server.toString());
    await deleteRedisKeys(redisUrl, prefix);
  }
  // After the topology is gone, so the recompute has the machine to itself like in production.
  const zoneCases = env('BENCH_ZONE_CASES', 100_000);
  console.log(`recomputeRiskZones over ${fmtInt(zoneCases)} synthetic cases…`);
  const zonesDb = new URL(server.toString());
  zonesDb.pathname = `/${prefix}_riskzones`;
  try {
    const zones = await benchRiskZones({ cases: zoneCases, runs: opts.runs, databaseUrl: zonesDb.toString() });
    const ms = (values: number[]) => `[${values.map((v) => v.toFixed(0)).join(', ')}]`;
    extra.push(
      '## recomputeRiskZones',
      '',
      `The analytics subgraph's full recompute (read the open cases, cluster within 2 km on a grid index, score, write the zones) over ${fmtInt(zones.cases)} synthetic cases (${fmtInt(zones.openCases)} open with a location → ${fmtInt(zones.zones)} zones) on PostgreSQL, with the services stopped:`,
      '',
      '| recompute | median ms | runs ms |',
      '|---|---|---|',
      `| warm: 1 % of the cases changed since the last recompute (the usual case) | ${zones.warmMedianMs.toFixed(0)} | ${ms(zones.warmMs)} |`,
      `| cold: nothing stored yet (first start, rebuild) | ${zones.coldMedianMs.toFixed(0)} | ${ms(zones.coldMs)} |`,
      '',
    );
  } finally {
    await dropDatabase(zonesDb.toString());
  }
  const out = join(ROOT, process.env.BENCH_OUT ?? 'BENCHMARKS.md');
  writeReport(out, { opts, size, reports, extra });
  console.log(`wrote ${out}`);
}

/** SQL statements each subgraph ran for one execution of the operation (read from /metrics). */
async function sqlPerOperation(ctx: BenchContext, subgraphs: string[], body: string, headers?: Record<string, string>): Promise<Record<string, number>> {
  const read = async (name: string) => {
    const text = await (await fetch(new URL('/metrics', ctx.subgraphUrls[name]))).text();
    return text.split('\n').filter((l) => l.startsWith('db_statements_total{') && l.includes('origin="request"')).reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);
  };
  const readAll = async () => Object.fromEntries(await Promise.all(subgraphs.map(async (n) => [n, await read(n)] as const)));
  // Requests of the previous load run may still be finishing: start from counters that stand still.
  let before = await readAll();
  for (let settled = 0; settled < 3; ) {
    await new Promise((r) => setTimeout(r, 200));
    const now = await readAll();
    settled = JSON.stringify(now) === JSON.stringify(before) ? settled + 1 : 0;
    before = now;
  }
  const res = await fetch(ctx.routerUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await res.json()) as { errors?: unknown[] };
  if (json.errors) throw new Error(`scenario operation failed: ${JSON.stringify(json.errors)}`);
  return Object.fromEntries(await Promise.all(subgraphs.map(async (n) => [n, (await read(n)) - before[n]!] as const)));
}

const fmtInt = (n: number) => n.toLocaleString('en-US');

/** Sum of a metric on a service's /metrics. */
async function metricSum(url: string, name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  return text.split('\n').filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`)).reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);
}

/**
 * Waits until the seed's consequences are over — every outbox is empty and no consumer has handled
 * an event for 5 s — so the measurements do not compete with background work.
 */
async function quiesce(urls: Record<string, string>): Promise<void> {
  const end = Date.now() + 10 * 60_000;
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() < end) {
    const backlog = (await Promise.all(Object.values(urls).map((u) => metricSum(u, 'outbox_backlog')))).reduce((a, b) => a + b, 0);
    const handled = (await Promise.all(Object.values(urls).map((u) => metricSum(u, 'event_lag_seconds_count')))).reduce((a, b) => a + b, 0);
    if (backlog > 0 || handled !== last) {
      last = handled;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 5_000) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  console.warn('services still busy after 10 minutes; measuring anyway');
}

/** Drops one database named by a URL. */
async function dropDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
