/**
 * Bundles router/dashboard into router/dashboard/dist with esbuild: the TypeScript (with Leaflet,
 * uPlot and graphql-ws) into one browser script, the libraries' styles into vendor.css.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const DIR = join(__dirname, '..', 'router', 'dashboard');

async function main(): Promise<void> {
  const out = join(DIR, 'dist');
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(DIR, 'src', 'dashboard.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    platform: 'browser',
    outfile: join(out, 'dashboard.js'),
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'dashboard.css']) copyFileSync(join(DIR, f), join(out, f));
  // Leaflet's style only sizes panes and controls here (markers are vector circles, no images).
  const vendor = ['leaflet/dist/leaflet.css', 'uplot/dist/uPlot.min.css'].map((f) =>
    readFileSync(require.resolve(f), 'utf8'),
  );
  writeFileSync(join(out, 'vendor.css'), vendor.join('\n'));
  console.log('built router/dashboard/dist');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
