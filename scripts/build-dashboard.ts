/**
 * Bundles router/dashboard into router/dashboard/dist with esbuild: the TypeScript (with Leaflet,
 * uPlot and graphql-ws) into one browser script, the libraries' styles into vendor.css.
 * `npm run build:dashboard` always builds; `npm start` builds only when an input changed.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build, version as esbuildVersion } from 'esbuild';

const ROOT = join(__dirname, '..');
const DIR = join(ROOT, 'router', 'dashboard');
const OUT = join(DIR, 'dist');
/**
 * What the last build read (esbuild's inputs, the copied pages, the vendor styles, this script) and
 * their hash; kept out of dist/, which the router serves.
 */
const INPUTS = join(ROOT, 'node_modules', '.cache', 'supergraph-dashboard.json');
const PAGES = ['index.html', 'dashboard.css'].map((f) => join(DIR, f));
// Leaflet's style only sizes panes and controls here (markers are vector circles, no images).
const VENDOR_CSS = ['leaflet/dist/leaflet.css', 'uplot/dist/uPlot.min.css'].map((f) => require.resolve(f));

/** Whether `buildDashboard` built or found the last build still current. */
export type DashboardBuild = 'built' | 'unchanged';

/**
 * Builds the dashboard; with `ifChanged`, only when a file the last build read (or esbuild's
 * version) has changed since, comparing contents by hash.
 */
export async function buildDashboard(opts: { ifChanged?: boolean } = {}): Promise<DashboardBuild> {
  if (opts.ifChanged && existsSync(INPUTS)) {
    const last = JSON.parse(readFileSync(INPUTS, 'utf8')) as { hash: string; files: string[] };
    if (last.files.every((f) => existsSync(f)) && hashOf(last.files) === last.hash) return 'unchanged';
  }
  mkdirSync(OUT, { recursive: true });
  const result = await build({
    entryPoints: [join(DIR, 'src', 'dashboard.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    platform: 'browser',
    outfile: join(OUT, 'dashboard.js'),
    logLevel: 'warning',
    metafile: true,
    absWorkingDir: ROOT,
  });
  for (const f of PAGES) copyFileSync(f, join(OUT, f.slice(DIR.length + 1)));
  writeFileSync(join(OUT, 'vendor.css'), VENDOR_CSS.map((f) => readFileSync(f, 'utf8')).join('\n'));
  const files = [
    ...Object.keys(result.metafile.inputs).map((f) => resolve(ROOT, f)),
    ...PAGES,
    ...VENDOR_CSS,
    __filename,
  ];
  mkdirSync(dirname(INPUTS), { recursive: true });
  writeFileSync(INPUTS, JSON.stringify({ hash: hashOf(files), files }, null, 1));
  return 'built';
}

function hashOf(files: string[]): string {
  const hash = createHash('sha256').update(esbuildVersion);
  for (const f of files) hash.update(f).update(readFileSync(f));
  return hash.digest('hex');
}

if (require.main === module) {
  buildDashboard().then(
    () => console.log('built router/dashboard/dist'),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
