import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  compiledPgliteWasm,
  PGLITE_WORKER,
  pgliteTemplate,
  pgliteWasm,
  type PgliteTemplate,
  type PgliteWasm,
} from './pglite.template';

/** A running embedded Postgres (PGlite) reachable over the wire protocol on 127.0.0.1. */
export interface EmbeddedPostgres {
  /** A `postgresql://` URL that `pg` and MikroORM connect to unchanged. */
  url: string;
  stop(): Promise<void>;
}

/** The most connections a service's client pool opens, unless its `openDatabase` call says otherwise. */
export const DEFAULT_POOL_MAX = 10;

/** Connections an embedded server accepts for a pool of `poolMax`: the pool and two more (one-off clients). */
export const embeddedConnections = (poolMax = DEFAULT_POOL_MAX) => poolMax + 2;

/** Where a service keeps its embedded database under DATA_DIR; undefined for ':memory:'. */
export function embeddedDataDir(dataDir: string, service: string): string | undefined {
  return dataDir === ':memory:' ? undefined : join(dataDir, service, 'pg');
}

/** Databases started ahead of their service, by absolute data directory (see {@link startEmbeddedPostgresEarly}). */
const early = new Map<string, { maxConnections: number; started: Promise<EmbeddedPostgres> }>();

/** What the worker thread is told (see pglite.worker.cjs). */
interface WorkerData {
  dataDir?: string;
  loadDataDir?: string;
  dumpTo?: string;
  maxConnections: number;
}

/**
 * Starts PGlite (Postgres compiled to WASM) in a worker thread of its own and serves it on a free
 * loopback port, so several databases and the services using them run on all cores. `dataDir`
 * undefined keeps the database in memory (tests); otherwise data persists there across starts.
 * A new database starts from the {@link prepareEmbeddedPostgres} template instead of its own
 * `initdb`. `maxConnections` must be at least the client pool's max: pglite-socket defaults to 1.
 */
export function startEmbeddedPostgres(opts: { dataDir?: string; maxConnections: number }): Promise<EmbeddedPostgres> {
  const ahead = opts.dataDir ? early.get(resolve(opts.dataDir)) : undefined;
  if (ahead) {
    early.delete(resolve(opts.dataDir!));
    if (ahead.maxConnections >= opts.maxConnections) return ahead.started;
    return ahead.started.then((pg) => pg.stop()).then(() => startEmbeddedPostgres(opts));
  }
  // An existing database starts at once, before this call returns: a caller that goes on with
  // synchronous work (loading modules) does not hold the thread's start back.
  if (opts.dataDir && existsSync(join(opts.dataDir, 'PG_VERSION')))
    return startWorker({ dataDir: opts.dataDir, maxConnections: opts.maxConnections }, compiledPgliteWasm());
  return (async () => {
    const template = await prepareEmbeddedPostgres();
    if (opts.dataDir) await copyTemplate(template, opts.dataDir);
    return startWorker(
      {
        dataDir: opts.dataDir,
        loadDataDir: opts.dataDir ? undefined : template.tar,
        maxConnections: opts.maxConnections,
      },
      await pgliteWasm(),
    );
  })();
}

/**
 * Starts the databases in `dataDirs` now, while the process goes on loading the services; the
 * first {@link startEmbeddedPostgres} of each directory takes its database over instead of
 * starting another. `npm start` opens its five databases this way.
 */
export function startEmbeddedPostgresEarly(dataDirs: string[], maxConnections = embeddedConnections()): void {
  for (const dataDir of dataDirs) {
    const started = startEmbeddedPostgres({ dataDir, maxConnections });
    // A failure is reported to the service that takes it over.
    started.catch(() => undefined);
    early.set(resolve(dataDir), { maxConnections, started });
  }
}

/**
 * Gets embedded databases ready to open quickly: compiles PGlite's WebAssembly and makes the
 * template (once per checkout, see `pgliteTemplate`). Starting it early lets that work overlap with
 * whatever the process loads meanwhile; {@link startEmbeddedPostgres} awaits the same promise.
 */
export function prepareEmbeddedPostgres(): Promise<PgliteTemplate> {
  void pgliteWasm();
  // The template's thread compiles its own WebAssembly, so that it is under way at once.
  return pgliteTemplate(async (dir, tar) => {
    const pg = await startWorker({ dataDir: dir, dumpTo: tar, maxConnections: 1 }, undefined);
    await pg.stop();
  });
}

/** Copies the template to `dataDir` through a sibling folder renamed into place, so a crash never leaves half a database. */
async function copyTemplate(template: PgliteTemplate, dataDir: string): Promise<void> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0)
    throw new Error(`${dataDir} holds files but no Postgres database (no PG_VERSION): move it away`);
  mkdirSync(dirname(dataDir), { recursive: true });
  const partial = `${dataDir}.copy-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  await cp(template.dir, partial, { recursive: true });
  rmSync(dataDir, { recursive: true, force: true });
  renameSync(partial, dataDir);
}

/** Spawns the worker before its first await; without `wasm` the thread compiles its own. */
async function startWorker(data: WorkerData, wasm?: PgliteWasm): Promise<EmbeddedPostgres> {
  // No inherited `-r`/`--conditions` hooks: the worker is plain JavaScript, and a TypeScript
  // loader per thread would cost more than the database itself.
  const worker = new Worker(PGLITE_WORKER, { workerData: { ...data, ...wasm }, execArgv: [] });
  const exited = new Promise<void>((done) => worker.once('exit', () => done()));
  const conn = await new Promise<string>((resolve, reject) => {
    worker.once('message', (m: { type: 'ready'; conn: string } | { type: 'error'; message: string }) =>
      m.type === 'ready' ? resolve(m.conn) : reject(new Error(`embedded Postgres failed to start: ${m.message}`)),
    );
    worker.once('error', reject);
    void exited.then(() => reject(new Error('embedded Postgres exited during start')));
  });
  return {
    url: `postgresql://postgres:postgres@${conn}/postgres`,
    async stop() {
      worker.postMessage('stop');
      // A database that cannot close within the time is ended with its thread.
      const timer = setTimeout(() => void worker.terminate(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
