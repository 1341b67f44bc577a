/**
 * Measures what each service process of the production topology uses, for the resource requests
 * and limits in deploy/kubernetes/: resident memory and CPU time, at idle and under a short light
 * load (a bounded loop of queries and mutations on loopback). Needs `npm run build`, Postgres and
 * Redis (TEST_DATABASE_URL, TEST_REDIS_URL; defaults 127.0.0.1). Run:
 *   node --conditions=source -r ./scripts/register.cjs deploy/kubernetes/measure-resources.ts
 * Prints one Markdown table row per service (CPU in millicores: CPU seconds per wall second).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteRedisKeys, dropSubgraphDatabases } from '../../scripts/databases';
import { subgraphDatabaseUrl } from '../../scripts/stack';
import { SUBGRAPHS } from '../../scripts/topology';
import { migrate, startReplica, stopAllReplicas, type Replica } from '../../test/production/replica.support';
import { PASSWORD, SIGN_UP, post } from '../../test/production/support';

const IDLE_SECONDS = 20;
const LOAD_SECONDS = 20;
const WORKERS = 4;
const MAX_REQUESTS = 4_000;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Sample {
  cpuSeconds: number;
  rssMiB: number;
}

function sample(pid: number): Sample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime + stime
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))!;
  return { cpuSeconds, rssMiB: Number(rss[1]) / 1024 };
}

/** CPU (millicores) and peak RSS of each process over `seconds`, while `during` runs. */
async function measure(replicas: Replica[], seconds: number, during: (until: number) => Promise<unknown>) {
  const start = replicas.map((r) => sample(r.child.pid!));
  const peak = start.map((s) => s.rssMiB);
  const t0 = Date.now();
  const until = t0 + seconds * 1000;
  const sampler = setInterval(
    () => replicas.forEach((r, i) => (peak[i] = Math.max(peak[i]!, sample(r.child.pid!).rssMiB))),
    500,
  );
  await Promise.all([during(until), new Promise((r) => setTimeout(r, seconds * 1000))]);
  clearInterval(sampler);
  const wall = (Date.now() - t0) / 1000;
  return replicas.map((r, i) => ({
    millicores: ((sample(r.child.pid!).cpuSeconds - start[i]!.cpuSeconds) / wall) * 1000,
    rssMiB: peak[i]!,
  }));
}

async function main() {
  const prefix = `measure_${Date.now()}_${process.pid}`;
  const server = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/');
  server.pathname = `/${prefix}`;
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'production',
    SEED: 'false',
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'supergraph-measure-')),
    ROUTER_SIGNING_SECRET: randomBytes(32).toString('base64url'),
    JWT_PRIVATE_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString(),
    TOTP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_IP_PER_MINUTE: '0',
    RATE_LIMIT_USER_PER_MINUTE: '0',
  };
  try {
    const replicas: Replica[] = [];
    const urls: Record<string, string> = {};
    for (const { name } of SUBGRAPHS) {
      const own = { ...env, DATABASE_URL: subgraphDatabaseUrl(server.toString(), name) };
      await migrate(name, own);
      const replica = await startReplica(name, own, 0);
      replicas.push(replica);
      urls[`${name.toUpperCase()}_URL`] = `http://127.0.0.1:${replica.port}/graphql`;
    }
    const router = await startReplica('router', { ...env, ...urls }, 0);
    replicas.push(router);
    const front = `http://127.0.0.1:${router.port}/graphql`;
    const signUp = await post<{ signUp: { accessToken: string } }>(front, SIGN_UP, {
      input: { email: `measure.${prefix}@example.com`, password: PASSWORD, displayName: 'Measure' },
    });
    const token = signUp.data!.signUp.accessToken;
    const species = await post<{ plantSpecies: { edges: { node: { id: string } }[] } }>(
      front,
      '{ plantSpecies(first: 1) { edges { node { id } } } }',
    );
    const speciesId = species.data!.plantSpecies.edges[0]!.node.id;

    await new Promise((r) => setTimeout(r, 5_000)); // start-up work settles
    const idle = await measure(replicas, IDLE_SECONDS, async () => undefined);
    let sent = 0;
    const load = await measure(replicas, LOAD_SECONDS, (until) =>
      Promise.all(
        Array.from({ length: WORKERS }, async () => {
          while (Date.now() < until && sent < MAX_REQUESTS) {
            const i = sent++;
            if (i % 10 === 0) {
              await post(
                front,
                'mutation($input: AddPlantInput!) { addPlant(input: $input) { id } }',
                { input: { speciesId, nickname: `M${i}` } },
                token,
              );
            } else if (i % 10 === 5) {
              await post(
                front,
                'mutation($input: ReportCaseInput!) { reportCase(input: $input) { id } }',
                { input: caseInput(i) },
                token,
              );
            } else {
              await post(
                front,
                '{ me { id plants { id nickname } reportedCases(first: 10) { id childName alerts { id } } } }',
                {},
                token,
              );
            }
          }
        }),
      ),
    );
    console.log(`${sent} requests in ${LOAD_SECONDS} s (${WORKERS} workers)\n`);
    console.log('| service | idle RSS (MiB) | idle CPU (m) | load peak RSS (MiB) | load CPU (m) |');
    console.log('|---|---|---|---|---|');
    replicas.forEach((r, i) => {
      const f = (n: number) => n.toFixed(0);
      console.log(
        `| ${r.name.replace(/#0$/, '')} | ${f(idle[i]!.rssMiB)} | ${f(idle[i]!.millicores)} | ${f(load[i]!.rssMiB)} | ${f(load[i]!.millicores)} |`,
      );
    });
  } finally {
    await stopAllReplicas();
    await dropSubgraphDatabases(server.toString()).catch(() => undefined);
    await deleteRedisKeys(redisUrl, prefix).catch(() => undefined);
  }
}

function caseInput(i: number) {
  return {
    childName: `Measure ${i}`,
    age: 7,
    gender: 'MALE',
    description: 'Green hat.',
    lastSeenAt: new Date(Date.now() - 600_000).toISOString(),
    lastSeenPlace: 'Lyon',
    location: { lat: 45.76, lng: 4.84 },
    contactPhone: '+33 6 12 34 56 78',
  };
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
