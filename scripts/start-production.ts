/**
 * `npm run start:prod`: the production topology on one machine: every subgraph and the router as
 * its own process, running the built JavaScript (`npm run build` first), on Postgres (DATABASE_URL:
 * a server URL; each subgraph gets database `<name>_<subgraph>`) and Redis (REDIS_URL). Exits when
 * any service exits; SIGTERM/SIGINT stop them all gracefully.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ListeningMessage } from '@supergraph/kit';
import { subgraphDatabaseUrl } from './stack';
import { ROUTER_PORT, SUBGRAPHS } from './topology';

const ROOT = join(__dirname, '..');

/** How long a service may take from spawn to ready. */
const START_TIMEOUT_MS = 60_000;

/** One service process of the production topology. */
export interface ServiceProcess {
  name: string;
  url: string;
  /** The port the service bound (reported by the process itself). */
  port: number;
  /** The instance id of the process currently serving (changes with every restart). */
  instance: string;
  child: ChildProcess;
  /** Starts the service again (same command, port and environment) after it exited; resolves when ready. */
  restart(): Promise<void>;
  /** Starts another replica of the service on a port of its own (same environment, plus `env`); resolves when ready. */
  replica(env?: NodeJS.ProcessEnv): Promise<ServiceProcess>;
}

/**
 * Node options for every service process: with CPU_PROFILE_DIR set, each writes a V8 CPU profile there when it
 * stops (`node --cpu-prof`; Node refuses that flag in NODE_OPTIONS, so it is passed here).
 */
function serviceNodeArgs(): string[] {
  const dir = process.env.CPU_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Starts one built service with `env`, prefixing its output with its name (`quiet`: errors only). */
export function spawnService(name: string, entry: string, env: NodeJS.ProcessEnv, quiet = false): ChildProcess {
  const child = spawn(process.execPath, [...serviceNodeArgs(), join(ROOT, entry)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line && (!quiet || isErrorLine(line))) process.stdout.write(`[${name}] ${line}\n`);
    });
  }
  return child;
}

/** A log line at error or fatal level, or output that is not a log line at all (a crash). */
function isErrorLine(line: string): boolean {
  if (!line.startsWith('{')) return true;
  return /"level":"(error|fatal)"/.test(line);
}

/**
 * Resolves with the child's {@link ListeningMessage} (its bound port and instance id); fails if the
 * child exits first (e.g. EADDRINUSE on a fixed port) or says nothing within `timeoutMs`.
 */
export function listening(child: ChildProcess, name: string, timeoutMs = START_TIMEOUT_MS): Promise<ListeningMessage> {
  return new Promise((resolve, reject) => {
    const done = (fn: () => void) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      fn();
    };
    const onMessage = (m: unknown) => {
      if ((m as ListeningMessage)?.type === 'listening') done(() => resolve(m as ListeningMessage));
    };
    const onExit = (code: number | null, signal: string | null) =>
      done(() => reject(new Error(`${name} exited (${code ?? signal}) before it listened`)));
    const timer = setTimeout(
      () => done(() => reject(new Error(`${name} did not report its port within ${timeoutMs} ms`))),
      timeoutMs,
    );
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) onExit(child.exitCode, child.signalCode);
  });
}

/**
 * Resolves when `url` answers 200 with `instance` in its JSON body (the process we started, not
 * another one on the same port), polling until `timeoutMs`; fails at once if `child` exits first.
 */
export async function waitFor(
  url: string,
  instance: string,
  timeoutMs = START_TIMEOUT_MS,
  child?: ChildProcess,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < end) {
    if (child && (child.exitCode !== null || child.signalCode !== null))
      throw new Error(`the service behind ${url} exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      const body = (await res.json().catch(() => ({}))) as { instance?: string };
      if (body.instance !== undefined && body.instance !== instance) {
        throw new Error(`${url} is answered by another process (instance ${body.instance}, expected ${instance})`);
      }
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      if ((err as Error).message.includes('another process')) throw err;
      last = (err as Error).message; // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms (${last})`);
}

/** What every process of a service is started with. */
interface Launch {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  /** Readiness path: `/ready` for subgraphs, `/health` for the router. */
  probe: string;
  quiet?: boolean;
}

/**
 * Spawns a process of `launch` on `port` (0: the OS picks at bind time), waits for it to report
 * where it listens and then for its readiness probe to answer with the same instance id.
 */
async function launch(l: Launch, port: number): Promise<{ child: ChildProcess; message: ListeningMessage }> {
  const label = port ? `${l.name}#${port}` : l.name;
  const child = spawnService(label, l.entry, { ...l.env, PORT: String(port) }, l.quiet);
  try {
    const message = await listening(child, label);
    await waitFor(`http://127.0.0.1:${message.port}${l.probe}`, message.instance, START_TIMEOUT_MS, child);
    return { child, message };
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw err;
  }
}

/** Starts a service process; it joins `all` so the topology's stop() ends it (and its replicas) too. */
async function startService(
  l: Launch,
  port: number,
  all: ServiceProcess[],
  isReplica = false,
): Promise<ServiceProcess> {
  const { child, message } = await launch(l, port);
  const service: ServiceProcess = {
    name: isReplica ? `${l.name}#${message.port}` : l.name,
    url: `http://127.0.0.1:${message.port}/graphql`,
    port: message.port,
    instance: message.instance,
    child,
    async restart() {
      // The same port: the router and replicas were told this URL.
      const next = await launch(l, service.port);
      service.child = next.child;
      service.instance = next.message.instance;
    },
    replica: (env) => startService({ ...l, env: { ...l.env, ...env } }, 0, all, true),
  };
  all.push(service);
  return service;
}

/**
 * Starts the subgraphs (waiting for each to be ready), then the router. `ports`: 'default' (the
 * documented ports 4000–4005, as `npm run start:prod`) or 'free' (each process binds port 0 and
 * reports the port it got: tests and the bench, alongside anything else on the machine).
 */
export async function startProduction(opts: {
  databaseUrl: string;
  redisUrl: string;
  env?: NodeJS.ProcessEnv;
  ports?: 'default' | 'free';
  quiet?: boolean;
}): Promise<{ routerUrl: string; services: ServiceProcess[]; stop(): Promise<void> }> {
  const services: ServiceProcess[] = [];
  const free = opts.ports === 'free';
  const nodeEnv = opts.env?.NODE_ENV ?? 'production';
  const stop = async () => {
    await Promise.all(
      [...services].reverse().map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
            s.child.once('exit', () => resolve());
            s.child.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    const urls: Record<string, string> = {};
    for (const { name, port } of SUBGRAPHS) {
      const env = {
        ...opts.env,
        NODE_ENV: nodeEnv,
        DATABASE_URL: subgraphDatabaseUrl(opts.databaseUrl, name),
        REDIS_URL: opts.redisUrl,
      };
      const service = await startService(
        { name, entry: `subgraphs/${name}/dist/index.js`, env, probe: '/ready', quiet: opts.quiet },
        free ? 0 : port,
        services,
      );
      urls[`${name.toUpperCase()}_URL`] = service.url;
    }
    const routerEnv = { ...opts.env, NODE_ENV: nodeEnv, ...urls, REDIS_URL: opts.redisUrl };
    const router = await startService(
      { name: 'router', entry: 'router/dist/index.js', env: routerEnv, probe: '/health', quiet: opts.quiet },
      free ? 0 : ROUTER_PORT,
      services,
    );
    return { routerUrl: router.url, services, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

if (require.main === module) {
  const { DATABASE_URL, REDIS_URL } = process.env;
  if (!DATABASE_URL || !REDIS_URL) {
    console.error('start:prod needs DATABASE_URL (a Postgres server URL) and REDIS_URL');
    process.exit(1);
  }
  startProduction({ databaseUrl: DATABASE_URL, redisUrl: REDIS_URL }).then(
    (running) => {
      console.log(`\nProduction topology ready: ${running.routerUrl}`);
      for (const s of running.services)
        s.child.once('exit', (code) => {
          console.error(`${s.name} exited (${code}); stopping everything`);
          void running.stop().then(() => process.exit(1));
        });
      const shutdown = () => void running.stop().then(() => process.exit(0));
      process.on('SIGTERM', shutdown);
      process.on('SIGINT', shutdown);
    },
    (err: Error) => {
      console.error(`start:prod failed: ${err.message}`);
      process.exit(1);
    },
  );
}
