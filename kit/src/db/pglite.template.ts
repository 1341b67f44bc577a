import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * A compiled `WebAssembly.Module`. The type lives in the DOM library, which the kit does not
 * compile with (Node's own types do not declare the global), so it is named here.
 */
export type WasmModule = object;
const { WebAssembly: wasmRuntime } = globalThis as unknown as {
  WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> };
};

/** PGlite's compiled WebAssembly, shared by every embedded database of this process. */
export interface PgliteWasm {
  pgliteWasmModule: WasmModule;
  initdbWasmModule: WasmModule;
}

/** An empty, initialised Postgres data directory, and the same as a tar file (for in-memory databases). */
export interface PgliteTemplate {
  dir: string;
  tar: string;
}

/** The worker thread that runs one PGlite (plain CommonJS beside this file, the same in src/ and for dist/). */
export const PGLITE_WORKER = resolve(__dirname, '..', '..', 'src', 'db', 'pglite.worker.cjs');

const pgliteDist = dirname(require.resolve('@electric-sql/pglite'));
const pgliteVersion = (JSON.parse(readFileSync(join(pgliteDist, '..', 'package.json'), 'utf8')) as { version: string })
  .version;

let wasm: Promise<PgliteWasm> | undefined;
let compiled: PgliteWasm | undefined;
let template: Promise<PgliteTemplate> | undefined;

/**
 * PGlite's two WebAssembly modules, compiled once per process (off the main thread) and handed to
 * each worker, instead of every database compiling its own 9 MB.
 */
export function pgliteWasm(): Promise<PgliteWasm> {
  // Read at once so compiling (on V8's background threads) starts even while this thread is busy.
  wasm ??= Promise.all(
    ['pglite.wasm', 'initdb.wasm'].map((f) => wasmRuntime.compile(readFileSync(join(pgliteDist, f)))),
  ).then(([pgliteWasmModule, initdbWasmModule]) => ({
    pgliteWasmModule: pgliteWasmModule!,
    initdbWasmModule: initdbWasmModule!,
  }));
  void wasm.then((w) => (compiled = w));
  return wasm;
}

/** The modules of {@link pgliteWasm} if they are compiled by now (and starts compiling them if not). */
export function compiledPgliteWasm(): PgliteWasm | undefined {
  void pgliteWasm();
  return compiled;
}

/**
 * Where templates live: `node_modules/.cache/supergraph-pglite/<PGlite version>/`, so a fresh
 * clone (or `npm ci`) starts without one and an upgrade of PGlite makes a new one.
 */
export function pgliteTemplateRoot(): string {
  const parts = pgliteDist.split(sep);
  const modules = parts.lastIndexOf('node_modules');
  return join(parts.slice(0, modules + 1).join(sep) || sep, '.cache', 'supergraph-pglite', pgliteVersion);
}

/**
 * The template every new embedded database starts from: Postgres' `initdb` runs once (the costly
 * part of a first start, seconds of WebAssembly), then each database copies the directory or loads
 * the tar. Made at most once per process; processes racing to make it each build a private copy and
 * the first to rename it into place wins. `make(dir, tar)` initialises `dir` and dumps it to `tar`.
 */
export function pgliteTemplate(make: (dir: string, tar: string) => Promise<void>): Promise<PgliteTemplate> {
  template ??= (async () => {
    const root = pgliteTemplateRoot();
    const ready: PgliteTemplate = { dir: join(root, 'data'), tar: join(root, 'data.tar') };
    if (existsSync(join(ready.dir, 'PG_VERSION')) && existsSync(ready.tar)) return ready;
    const own = join(root, `tmp-${process.pid}-${Date.now()}`);
    mkdirSync(own, { recursive: true });
    try {
      await make(join(own, 'data'), join(own, 'data.tar'));
      if (!existsSync(ready.tar)) renameSync(join(own, 'data.tar'), ready.tar);
      if (!existsSync(ready.dir)) renameSync(join(own, 'data'), ready.dir);
    } catch (err) {
      // Another process renamed its template into place first: use that one.
      if (!existsSync(join(ready.dir, 'PG_VERSION')) || !existsSync(ready.tar)) throw err;
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
    return ready;
  })();
  template.catch(() => (template = undefined));
  return template;
}
