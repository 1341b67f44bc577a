import type { RunningService } from '@supergraph/kit';
import { loadConfig as loadRouterConfig } from '../router/src/config';
import { start as startRouter } from '../router/src/server';
import { SUBGRAPH_ENTRIES } from './services';
import { SUBGRAPHS, ROUTER_PORT } from './topology';

/** Where and how the whole platform runs in one process. */
export interface StackOptions {
  /** 'default' uses the documented ports (4000–4005); 'free' picks free ones (tests). */
  ports: 'default' | 'free';
  /** Embedded data directory, or ':memory:'. */
  dataDir: string;
  /** A Postgres server URL; each subgraph gets its own database `<name in URL>_<subgraph>`. */
  databaseUrl?: string;
  redisUrl?: string;
  redisPrefix?: string;
  /** Extra environment for every service (e.g. LOG_LEVEL, SEED). */
  env?: NodeJS.ProcessEnv;
}

/** The running platform. */
export interface Stack {
  routerUrl: string;
  subgraphs: Record<string, RunningService>;
  stop(): Promise<void>;
}

/** The database URL of one subgraph on a shared server: `<db>_<subgraph>` on the same server. */
export function subgraphDatabaseUrl(serverUrl: string, subgraph: string): string {
  const url = new URL(serverUrl);
  const base = url.pathname.replace(/^\//, '') || 'supergraph';
  url.pathname = `/${base}_${subgraph}`;
  return url.toString();
}

/**
 * Starts every subgraph (all at once) and then the router in this process, each on its own port
 * and talking over real HTTP/WebSocket, as `npm start` does. Stops everything started if one part fails.
 */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const started: RunningService[] = [];
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    DATA_DIR: opts.dataDir,
    REDIS_URL: opts.redisUrl ?? '',
    REDIS_PREFIX: opts.redisPrefix ?? process.env.REDIS_PREFIX ?? 'supergraph',
  };
  try {
    // The subgraphs do not need each other to start (events wait on the bus for late consumers),
    // so they start together: their databases open in worker threads side by side.
    const starting = await Promise.allSettled(
      SUBGRAPHS.map(({ name, port }) => {
        const { loadConfig, start } = SUBGRAPH_ENTRIES[name];
        const env = {
          ...base,
          PORT: String(opts.ports === 'free' ? 0 : port),
          DATABASE_URL: opts.databaseUrl ? subgraphDatabaseUrl(opts.databaseUrl, name) : '',
        };
        return start(loadConfig(env));
      }),
    );
    for (const s of starting) if (s.status === 'fulfilled') started.push(s.value);
    const failed = starting.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const urls = Object.fromEntries(started.map((s) => [`${s.name.toUpperCase()}_URL`, s.url]));
    const running = await startRouter(
      loadRouterConfig({ ...base, ...urls, PORT: String(opts.ports === 'free' ? 0 : ROUTER_PORT) }),
    );
    return {
      routerUrl: running.url,
      subgraphs: Object.fromEntries(started.map((s) => [s.name, s])),
      async stop() {
        await running.stop();
        for (const s of started.reverse()) await s.stop();
      },
    };
  } catch (err) {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    throw err;
  }
}
