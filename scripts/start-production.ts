/**
 * `npm run start:prod`: the production topology on one machine: every subgraph and the router as
 * its own process, running the built JavaScript (`npm run build` first), on Postgres (DATABASE_URL:
 * a server URL; each subgraph gets database `<name>_<subgraph>`) and Redis (REDIS_URL). Exits when
 * any service exits; SIGTERM/SIGINT stop them all gracefully.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { subgraphDatabaseUrl } from './stack';
import { ROUTER_PORT, SUBGRAPHS } from './topology';

const ROOT = join(__dirname, '..');

/** One service process of the production topology. */
export interface ServiceProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Starts the service again (same command, port and environment) after it exited; resolves when ready. */
  restart(): Promise<void>;
  /** Starts another replica of the service on `port` (same environment, plus `env`); resolves when ready. */
  replica(port: number, env?: NodeJS.ProcessEnv): Promise<ServiceProcess>;
}

/** Starts one built service with `env`, prefixing its output with its name (`quiet`: errors only). */
export function spawnService(name: string, entry: string, env: NodeJS.ProcessEnv, quiet = false): ChildProcess {
  const child = spawn(process.execPath, [join(ROOT, entry)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** Starts one more process of a service; it joins `all` so the topology's stop() ends it too. */
async function startReplica(name: string, entry: string, env: NodeJS.ProcessEnv, probe: string, quiet: boolean | undefined, all: ServiceProcess[]): Promise<ServiceProcess> {
  const base = `http://127.0.0.1:${env.PORT}`;
  const replica: ServiceProcess = {
    name: `${name}#${env.PORT}`,
    url: `${base}/graphql`,
    child: spawnService(`${name}#${env.PORT}`, entry, env, quiet),
    async restart() {
      replica.child = spawnService(replica.name, entry, env, quiet);
      await waitFor(`${base}${probe}`, 60_000, replica.child);
    },
    replica: (port, extra) => startReplica(name, entry, { ...env, ...extra, PORT: String(port) }, probe, quiet, all),
  };
  all.push(replica);
  await waitFor(`${base}${probe}`, 60_000, replica.child);
  return replica;
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves when `url` answers 200, polling until `timeoutMs`; fails at once if `child` exits first. */
export async function waitFor(url: string, timeoutMs = 60_000, child?: ChildProcess): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`the service behind ${url} exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
}

/**
 * Starts the subgraphs (waiting for each to be ready), then the router. `ports` maps names to
 * ports (defaults: the documented ones).
 */
export async function startProduction(opts: {
  databaseUrl: string;
  redisUrl: string;
  env?: NodeJS.ProcessEnv;
  ports?: Record<string, number>;
  quiet?: boolean;
}): Promise<{ routerUrl: string; services: ServiceProcess[]; stop(): Promise<void> }> {
  const services: ServiceProcess[] = [];
  const stop = async () => {
    await Promise.all(
      services.reverse().map(
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
    for (const { name, port: fallback } of SUBGRAPHS) {
      const port = opts.ports?.[name] ?? fallback;
      const env = { ...opts.env, NODE_ENV: opts.env?.NODE_ENV ?? 'production', PORT: String(port), DATABASE_URL: subgraphDatabaseUrl(opts.databaseUrl, name), REDIS_URL: opts.redisUrl };
      const url = `http://127.0.0.1:${port}/graphql`;
      const entry = `subgraphs/${name}/dist/index.js`;
      const service: ServiceProcess = {
        name,
        url,
        child: spawnService(name, entry, env, opts.quiet),
        async restart() {
          service.child = spawnService(name, entry, env, opts.quiet);
          await waitFor(`http://127.0.0.1:${port}/ready`, 60_000, service.child);
        },
        replica: (replicaPort, extra) => startReplica(name, entry, { ...env, ...extra, PORT: String(replicaPort) }, '/ready', opts.quiet, services),
      };
      services.push(service);
      await waitFor(`http://127.0.0.1:${port}/ready`, 60_000, service.child);
      urls[`${name.toUpperCase()}_URL`] = url;
    }
    const port = opts.ports?.router ?? ROUTER_PORT;
    const routerEnv = { ...opts.env, NODE_ENV: opts.env?.NODE_ENV ?? 'production', ...urls, PORT: String(port), REDIS_URL: opts.redisUrl };
    const routerUrl = `http://127.0.0.1:${port}/graphql`;
    const router: ServiceProcess = {
      name: 'router',
      url: routerUrl,
      child: spawnService('router', 'router/dist/index.js', routerEnv, opts.quiet),
      async restart() {
        router.child = spawnService('router', 'router/dist/index.js', routerEnv, opts.quiet);
        await waitFor(`http://127.0.0.1:${port}/health`, 60_000, router.child);
      },
      replica: (replicaPort, extra) => startReplica('router', 'router/dist/index.js', { ...routerEnv, ...extra, PORT: String(replicaPort) }, '/health', opts.quiet, services),
    };
    services.push(router);
    await waitFor(`http://127.0.0.1:${port}/health`, 60_000, router.child);
    return { routerUrl, services, stop };
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
      for (const s of running.services) s.child.once('exit', (code) => {
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
