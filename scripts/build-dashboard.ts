/** Bundles router/dashboard (TypeScript → one browser script) into router/dashboard/dist with esbuild. */
import { copyFileSync, mkdirSync } from 'node:fs';
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
  console.log('built router/dashboard/dist');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
