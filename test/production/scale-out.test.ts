import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteRedisKeys, dropSubgraphDatabases } from '../../scripts/databases';
import { subgraphDatabaseUrl } from '../../scripts/stack';
import { SUBGRAPHS } from '../../scripts/topology';
import { migrate, startReplicaSet, stopAllReplicas, type ReplicaSet } from './replica.support';
import { LOG_IN, PASSWORD, SIGN_UP, eventually, post } from './support';

/**
 * The production topology scaled out as deploy/kubernetes/ runs it: two routers and two replicas
 * of every subgraph that may have several (analytics runs once: see deploy/kubernetes/README.md),
 * each set behind a round-robin proxy standing in for its Kubernetes Service, databases migrated
 * first by the pods' init-container script. Under a bounded loop of mutations, one replica of
 * each set is killed (SIGKILL or SIGTERM) and started again.
 */
const REPLICAS: Record<string, number> = { users: 2, cases: 2, plants: 2, notifications: 2, analytics: 1, router: 2 };
/** The kills, in order: a subgraph that consumes events is killed hard first (its messages are re-claimed after 30 s). */
const KILLS: Array<[service: string, signal: 'SIGKILL' | 'SIGTERM']> = [
  ['notifications', 'SIGKILL'],
  ['users', 'SIGTERM'],
  ['cases', 'SIGKILL'],
  ['plants', 'SIGTERM'],
  ['router', 'SIGKILL'],
];
const WORKERS = 3;
/** Upper bound of mutations in the loop (reportedCases pages at most 100 cases). */
const MAX_MUTATIONS = 210;
const SUBSCRIBERS = 4;

const REPORT = 'mutation($input: ReportCaseInput!) { reportCase(input: $input) { id } }';
const ADD_PLANT = 'mutation($input: AddPlantInput!) { addPlant(input: $input) { id } }';
const ALERTS = 'subscription { alertRaised { id case { id } } }';
const MINE = '{ me { reportedCases(first: 100) { id alerts { id } } plants { id } } }';

type Kind = 'signUp' | 'reportCase' | 'addPlant';
interface Outcome {
  kind: Kind;
  /** The created id (signUp: the e-mail) when the mutation was answered with data. */
  key?: string;
  /** The error code (or NETWORK when no answer came) when it was not. */
  failure?: string;
}

interface Subscriber {
  client: Client;
  alerts: string[];
  /** Sockets opened (1 + reconnections). */
  connections: number;
  /** Subscriptions started (1 + restarts after an upstream error). */
  subscriptions: number;
}

describe('production topology scaled out: replicas killed under load', () => {
  const prefix = `scale_${Date.now()}_${process.pid}`;
  const server = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/');
  server.pathname = `/${prefix}`;
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const sets: Record<string, ReplicaSet> = {};
  let front = '';

  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = {
      NODE_ENV: 'production',
      SEED: 'false',
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'supergraph-scale-')),
      ROUTER_SIGNING_SECRET: randomBytes(32).toString('base64url'),
      JWT_PRIVATE_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      TOTP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      RATE_LIMIT_IP_PER_MINUTE: '0',
      RATE_LIMIT_USER_PER_MINUTE: '0',
      CIRCUIT_BREAKER_OPEN_MS: '500',
    };
    const own = (name: string) => ({ ...env, DATABASE_URL: subgraphDatabaseUrl(server.toString(), name) });
    await Promise.all(SUBGRAPHS.map(({ name }) => migrate(name, own(name))));
    await Promise.all(
      SUBGRAPHS.map(async ({ name }) => (sets[name] = await startReplicaSet(name, REPLICAS[name]!, own(name)))),
    );
    const urls = Object.fromEntries(SUBGRAPHS.map(({ name }) => [`${name.toUpperCase()}_URL`, sets[name]!.url]));
    sets.router = await startReplicaSet('router', REPLICAS.router!, { ...env, ...urls });
    front = sets.router.url;
  }, 300_000);

  afterAll(async () => {
    await Promise.all(Object.values(sets).map((s) => s.stop()));
    await stopAllReplicas(); // any left by a start that failed half-way
    await dropSubgraphDatabases(server.toString()).catch(() => undefined);
    await deleteRedisKeys(redisUrl, prefix).catch(() => undefined);
  });

  it('loses no mutation, raises every alert exactly once and reconnects every subscription', async () => {
    const signUp = await post<{ signUp: { accessToken: string } }>(front, SIGN_UP, {
      input: { email: `reporter.${prefix}@example.com`, password: PASSWORD, displayName: 'Scale Out' },
    });
    const token = signUp.data!.signUp.accessToken;
    const species = await post<{ plantSpecies: { edges: { node: { id: string } }[] } }>(
      front,
      '{ plantSpecies(first: 1) { edges { node { id } } } }',
    );
    const speciesId = species.data!.plantSpecies.edges[0]!.node.id;

    const subscribers = await Promise.all(Array.from({ length: SUBSCRIBERS }, () => subscribe(front)));
    const outcomes: Outcome[] = [];
    let stopLoad = false;
    let n = 0;
    const mutate = async (kind: Kind, i: number): Promise<Outcome> => {
      const r = await (
        kind === 'signUp'
          ? post<{ signUp: unknown }>(front, SIGN_UP, {
              input: { email: `load${i}.${prefix}@example.com`, password: PASSWORD, displayName: 'Load Test' },
            })
          : kind === 'reportCase'
            ? post<{ reportCase: { id: string } }>(front, REPORT, { input: caseInput(`Child ${i}`) }, token)
            : post<{ addPlant: { id: string } }>(
                front,
                ADD_PLANT,
                { input: { speciesId, nickname: `Plant ${i}` } },
                token,
              )
      ).catch(() => undefined);
      if (!r) return { kind, failure: 'NETWORK' };
      const data = r.data as Record<string, { id?: string } | undefined> | undefined;
      if (data?.[kind]) return { kind, key: kind === 'signUp' ? `load${i}.${prefix}@example.com` : data[kind]!.id };
      return { kind, failure: r.errors?.[0]?.extensions?.code ?? `HTTP_${r.status}` };
    };
    const worker = async () => {
      while (!stopLoad && n < MAX_MUTATIONS) {
        const i = n++;
        outcomes.push(await mutate((['signUp', 'reportCase', 'addPlant'] as const)[i % 3]!, i));
      }
    };
    const succeeded = () => outcomes.filter((o) => o.key).length;
    const load = Promise.all(Array.from({ length: WORKERS }, worker));

    const exits: Array<{ service: string; signal: string; exit: { code: number | null; signal: string | null } }> = [];
    try {
      for (const [service, signal] of KILLS) {
        const before = succeeded();
        await eventually(
          async () => succeeded() >= before + 6 || n >= MAX_MUTATIONS,
          30_000,
          `load before killing ${service}`,
        );
        exits.push({ service, signal, exit: await sets[service]!.cycle(0, signal) });
      }
    } finally {
      stopLoad = true;
      await load;
    }

    // A replica stopped with SIGTERM drains and exits 0; SIGKILL ends it where it stood.
    for (const { service, signal, exit } of exits) {
      expect(exit, service).toEqual(
        signal === 'SIGTERM' ? { code: 0, signal: null } : { code: null, signal: 'SIGKILL' },
      );
    }
    // Failures are answers about the killed replica (or the connection to it), never an internal error.
    const failures = outcomes.filter((o) => o.failure);
    for (const f of failures)
      expect(['NETWORK', 'SUBGRAPH_UNAVAILABLE'], `${f.kind}: ${f.failure}`).toContain(f.failure);
    expect(succeeded()).toBeGreaterThan(outcomes.length / 2);

    // Every acknowledged mutation is there.
    const acked = (kind: Kind) => outcomes.filter((o) => o.kind === kind && o.key).map((o) => o.key!);
    for (const email of acked('signUp')) {
      expect((await post(front, LOG_IN, { input: { email, password: PASSWORD } })).errors, email).toBeUndefined();
    }
    // Every reported case (acknowledged or not) ends with exactly one alert, once the killed
    // notifications replica's unacknowledged events have been re-claimed by the other one.
    type Mine = { me: { reportedCases: { id: string; alerts: { id: string }[] }[]; plants: { id: string }[] } };
    const mine = await eventually(
      async () => {
        const r = await post<Mine>(front, MINE, {}, token);
        const me = r.errors ? undefined : r.data?.me;
        return me && me.reportedCases.every((c) => c.alerts.length >= 1) ? me : undefined;
      },
      60_000,
      'an alert for every reported case',
    );
    const caseIds = mine.reportedCases.map((c) => c.id);
    expect(caseIds).toEqual(expect.arrayContaining(acked('reportCase')));
    for (const c of mine.reportedCases) expect(c.alerts, c.id).toHaveLength(1);
    expect(mine.plants.map((p) => p.id)).toEqual(expect.arrayContaining(acked('addPlant')));

    // Every subscription came back: a case reported now reaches every subscriber, and no
    // subscriber ever saw an alert twice.
    const probe = await post<{ reportCase: { id: string } }>(front, REPORT, { input: caseInput('Probe') }, token);
    const probeAlert = await eventually(
      async () => {
        const r = await post<{ case: { alerts: { id: string }[] } }>(
          front,
          'query($id: ID!) { case(id: $id) { alerts { id } } }',
          { id: probe.data!.reportCase.id },
          token,
        );
        return r.data?.case.alerts[0]?.id;
      },
      15_000,
      'the probe alert',
    );
    for (const [i, s] of subscribers.entries()) {
      await eventually(async () => s.alerts.includes(probeAlert), 15_000, `subscriber ${i} to get the probe alert`);
      expect(new Set(s.alerts).size, `subscriber ${i}`).toBe(s.alerts.length);
    }
    // The router killed held some of the sockets and the notifications replica killed some upstreams.
    expect(subscribers.some((s) => s.connections > 1 || s.subscriptions > 1)).toBe(true);
    // Every replica of every set took connections from its proxy: the work was spread.
    for (const set of Object.values(sets)) {
      const served = [...set.proxy.accepted.values()].filter((count) => count > 0).length;
      expect(served, set.service).toBeGreaterThanOrEqual(REPLICAS[set.service]!);
    }
    await Promise.all(subscribers.map((s) => s.client.dispose()));
    const summary = {
      mutations: outcomes.length,
      acknowledged: succeeded(),
      failures: failures.map((f) => `${f.kind}:${f.failure}`),
    };
    console.log(
      `scale-out: ${JSON.stringify({ ...summary, cases: caseIds.length, subscribers: subscribers.map((s) => s.connections) })}`,
    );
  }, 240_000);
});

function caseInput(childName: string) {
  return {
    childName,
    age: 8,
    gender: 'FEMALE',
    description: 'Red coat.',
    lastSeenAt: new Date(Date.now() - 600_000).toISOString(),
    lastSeenPlace: 'Lyon',
    location: { lat: 45.76, lng: 4.84 },
    contactPhone: '+33 6 12 34 56 78',
  };
}

/**
 * Subscribes to alertRaised through `routerUrl` the way a resilient client does: the socket
 * reconnects when it drops (a router went away), and the subscription is started again when it
 * ends with an error (the notifications replica holding its upstream went away).
 */
async function subscribe(routerUrl: string): Promise<Subscriber> {
  let disposed = false;
  const client = createClient({
    url: routerUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 30,
    retryWait: () => new Promise((r) => setTimeout(r, 200)),
    shouldRetry: () => true,
  });
  const s: Subscriber = { client, alerts: [], connections: 0, subscriptions: 0 };
  client.on('connected', () => void (s.connections += 1));
  const first = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  const start = () => {
    s.subscriptions += 1;
    client.subscribe<{ alertRaised: { id: string } }>(
      { query: ALERTS },
      {
        next: (r) => void (r.data && s.alerts.push(r.data.alertRaised.id)),
        error: () => void (!disposed && setTimeout(start, 200)),
        complete: () => void (!disposed && setTimeout(start, 200)),
      },
    );
  };
  start();
  const dispose = client.dispose.bind(client);
  client.dispose = () => {
    disposed = true;
    return dispose();
  };
  await first;
  return s;
}
