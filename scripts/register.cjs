// Runs TypeScript sources directly (development start, scripts). Use it with
// `node --conditions=source -r ./scripts/register.cjs`: the "source" export condition makes the
// workspace packages (@supergraph/*) resolve to their src/ files instead of built dist/.
//
// Two caches under node_modules/.cache/supergraph-register/ (SUPERGRAPH_REGISTER_CACHE elsewhere) make a second start load faster:
// - ts/: each .ts file as SWC compiled it (keyed by path, content and options), so SWC itself
//   (and TypeScript, which @swc-node/register loads to read tsconfig.json) is not loaded at all;
// - v8/: V8's code cache of every CommonJS module (ours and node_modules'), written at exit, so
//   the next start does not parse and compile ~30 MB of JavaScript again (what Node 22's
//   module.enableCompileCache does; this project also runs on Node 20).
// The compiler options follow tsconfig.base.json (decorators with metadata for MikroORM and
// type-graphql, no define semantics for class fields, class names kept).
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';

const CACHE =
  process.env.SUPERGRAPH_REGISTER_CACHE || join(__dirname, '..', 'node_modules', '.cache', 'supergraph-register');
const SWC_VERSION = require('@swc/core/package.json').version;
const SWC_OPTIONS = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', tsx: false, decorators: true, dynamicImport: true },
    transform: {
      legacyDecorator: true,
      decoratorMetadata: true,
      useDefineForClassFields: false,
    },
    keepClassNames: true,
  },
  module: { type: 'commonjs', noInterop: false, ignoreDynamic: false },
  isModule: true,
  sourceMaps: 'inline',
  inlineSourcesContent: true,
  swcrc: false,
};
const TS_SALT = `${SWC_VERSION} ${JSON.stringify(SWC_OPTIONS)}`;
const V8_SALT = `${process.version} ${process.arch}`;

const hash = (...parts) => {
  const h = createHash('sha1');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
};

/**
 * Writes a cache entry atomically: to a file of this process's own, then renamed into place. Processes
 * started side by side (the checks of `npm test`) read entries while others write them; a reader
 * must see no file or the whole file, never the first half of a module (which loads without an
 * error and lacks exports).
 */
function write(file, data) {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, data);
    renameSync(temporary, file);
  } catch {
    // A cache that cannot be written only makes the next start slower.
    rmSync(temporary, { force: true });
  }
}

function compileTypeScript(source, filename) {
  const file = join(CACHE, 'ts', `${hash(TS_SALT, filename, source)}.js`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    const { code } = require('@swc/core').transformSync(source, { ...SWC_OPTIONS, filename });
    write(file, code);
    return code;
  }
}

Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  module._compile(compileTypeScript(readFileSync(filename, 'utf8'), filename), filename);
};

/** The `require` a module's code receives, as Node makes it. */
function requireFor(module) {
  const require = (id) => module.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

/** Scripts whose code cache is missing or stale, written at exit (when most functions are compiled). */
const produce = [];

const nodeCompile = Module.prototype._compile;

Module.prototype._compile = function compileWithCodeCache(content, filename) {
  if (filename.endsWith('.mjs')) return nodeCompile.call(this, content, filename);
  const source = content.startsWith('#!') ? `//${content}` : content;
  const file = join(CACHE, 'v8', hash(V8_SALT, filename, source));
  let cachedData;
  try {
    cachedData = readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  let script;
  try {
    script = new vm.Script(Module.wrap(source), {
      filename,
      cachedData,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
  } catch {
    // Not CommonJS (an ES module that Node's require loads its own way) or not valid at all:
    // Node's own compile handles it and reports any error as usual.
    return nodeCompile.call(this, content, filename);
  }
  if (!cachedData || script.cachedDataRejected) produce.push([file, script]);
  const fn = script.runInThisContext({ displayErrors: true });
  return fn.call(this.exports, this.exports, requireFor(this), this, filename, dirname(filename));
};

process.once('exit', () => {
  for (const [file, script] of produce) write(file, script.createCachedData());
});
