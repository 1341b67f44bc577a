import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteRedisKeys, dropSubgraphDatabases } from '../../scripts/databases';
import { startProduction, type ServiceProcess } from '../../scripts/start-production';

/** A production topology of its own (separate processes), for tests that break things. */
export interface Topology {
  routerUrl: string;
  prefix: string;
  service(name: string): ServiceProcess;
  stop(): Promise<void>;
}

/** Starts every service from built JavaScript on this machine's Postgres (a fresh database prefix) and `redisUrl`. */
export async function startTopology(redisUrl: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Topology> {
  const prefix = `fault_${Date.now()}_${process.pid}`;
  const server = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/');
  server.pathname = `/${prefix}`;
  const running = await startProduction({
    databaseUrl: server.toString(),
    redisUrl,
    ports: 'free',
    quiet: !process.env.TEST_VERBOSE,
    env: {
      NODE_ENV: 'production',
      SEED: 'false',
      LOG_LEVEL: 'warn',
      REDIS_PREFIX: prefix,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'supergraph-fault-')),
      ROUTER_SIGNING_SECRET: randomBytes(32).toString('base64url'),
      JWT_PRIVATE_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      TOTP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      RATE_LIMIT_IP_PER_MINUTE: '0',
      RATE_LIMIT_USER_PER_MINUTE: '0',
      CIRCUIT_BREAKER_OPEN_MS: '500',
      ...extraEnv,
    },
  });
  return {
    routerUrl: running.routerUrl,
    prefix,
    service: (name) => running.services.find((s) => s.name === name)!,
    async stop() {
      await running.stop();
      await dropSubgraphDatabases(server.toString());
      await deleteRedisKeys(redisUrl, prefix).catch(() => undefined);
    },
  };
}

/** POSTs an operation to the router. */
export async function post<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    ...((await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] }),
  };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A gauge or counter value from a service's /metrics (summed over label sets that match `labelFilter`). */
export async function metric(serviceUrl: string, name: string, labelFilter = ''): Promise<number> {
  const text = await (await fetch(new URL('/metrics', serviceUrl))).text();
  return text
    .split('\n')
    .filter((l) => (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) && l.includes(labelFilter))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

export const SIGN_UP =
  'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken user { id email } } }';
export const LOG_IN = 'mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }';
export const PASSWORD = 'correct-horse-7';
