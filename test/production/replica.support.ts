import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin.proxy';

const ROOT = join(__dirname, '..', '..');

/** One process of a service, started from built JavaScript on a port it picked itself (PORT=0). */
export interface Replica {
  name: string;
  port: number;
  child: ChildProcess;
}

/** The replicas of one service behind their own round-robin proxy (its "Kubernetes Service"). */
export interface ReplicaSet {
  service: string;
  replicas: Replica[];
  proxy: RoundRobinProxy;
  /** `<proxy origin>/graphql`. */
  url: string;
  /**
   * Stops replica `index` with `signal`, waits for it to exit, starts it again (a new port, as a
   * new pod gets a new address) and puts it behind the proxy once it is ready. Returns the exit.
   */
  cycle(index: number, signal: 'SIGKILL' | 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** Every process started here, so a test can end them all even when a start failed half-way. */
const started = new Set<ChildProcess>();

/** Ends every process this module started (SIGTERM, then waits). */
export async function stopAllReplicas(): Promise<void> {
  await Promise.all([...started].map(stopProcess));
}

/** How long one service may take to start on a busy machine (two cores shared with other work). */
const START_TIMEOUT_MS = 150_000;

const entryOf = (service: string) =>
  service === 'router' ? 'router/dist/index.js' : `subgraphs/${service}/dist/index.js`;
const probeOf = (service: string) => (service === 'router' ? '/health' : '/ready');

/**
 * Starts `service` like a pod with `restartPolicy: Always`: a process that exits before it is
 * ready (a start that gave up on Redis or Postgres on a busy machine) is started again, at most
 * `attempts` times in all; each such restart is printed.
 */
export async function startReplica(
  service: string,
  env: NodeJS.ProcessEnv,
  ordinal: number,
  attempts = 3,
): Promise<Replica> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(service, env, ordinal);
    } catch (err) {
      if (attempt >= attempts) throw err;
      process.stdout.write(
        `[${service}#${ordinal}] start ${attempt} failed (${(err as Error).message}): starting it again\n`,
      );
    }
  }
}

/**
 * Starts `service` from `dist/` with PORT=0 and resolves once it reported its port (the
 * "listening" log line) and answers its probe (`/ready`, the router `/health`). Errors and
 * non-JSON output (a crash) are printed; everything when TEST_VERBOSE is set.
 */
async function startOnce(service: string, env: NodeJS.ProcessEnv, ordinal: number): Promise<Replica> {
  const name = `${service}#${ordinal}`;
  const child = spawn(process.execPath, [join(ROOT, entryOf(service))], {
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  const port = new Promise<number>((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}) before it listened`)));
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        const entry = parseLine(line);
        if (entry && typeof entry.url === 'string' && /listening$/.test(String(entry.msg)))
          resolve(Number(new URL(entry.url).port));
        if (process.env.TEST_VERBOSE || !entry || entry.level === 'error' || entry.level === 'fatal')
          process.stdout.write(`[${name}] ${line}\n`);
      });
    }
  });
  try {
    const replica: Replica = { name, port: await withTimeout(port, START_TIMEOUT_MS, `${name} to listen`), child };
    await waitReady(`http://127.0.0.1:${replica.port}${probeOf(service)}`, child);
    return replica;
  } catch (err) {
    await stopProcess(child);
    throw err;
  }
}

/** Starts `count` replicas of `service` (together, as a Deployment does) behind a fresh proxy. */
export async function startReplicaSet(service: string, count: number, env: NodeJS.ProcessEnv): Promise<ReplicaSet> {
  const replicas = await Promise.all(Array.from({ length: count }, (_, i) => startReplica(service, env, i)));
  const proxy = await startRoundRobinProxy(replicas.map((r) => r.port));
  let restarts = count;
  return {
    service,
    replicas,
    proxy,
    url: `${proxy.origin}/graphql`,
    async cycle(index, signal) {
      const old = replicas[index]!;
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        old.child.once('exit', (code, sig) => resolve({ code, signal: sig })),
      );
      old.child.kill(signal);
      const exit = await exited;
      const fresh = await startReplica(service, env, restarts++);
      replicas[index] = fresh;
      proxy.replace(old.port, fresh.port);
      return exit;
    },
    async stop() {
      await Promise.all(replicas.map((r) => stopProcess(r.child)));
      await proxy.close();
    },
  };
}

/** SIGTERM, then waits for the exit. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Runs `deploy/kubernetes/migrate.cjs <subgraph>` (the pods' init container) with `env`;
 * rejects with its output when it fails.
 */
export async function migrate(subgraph: string, env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, [join(ROOT, 'deploy', 'kubernetes', 'migrate.cjs'), subgraph], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout!, child.stderr!])
    stream.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`migrate ${subgraph} failed (${code}): ${output}`);
}

function parseLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const end = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < end) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the process behind ${url} exited before it was ready`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} was not ready in time`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
