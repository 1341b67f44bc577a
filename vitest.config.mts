import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Module test files at once. Vitest's default (cores − 1) is a single worker on a 2-core machine,
 * which leaves a core idle while most files wait on I/O (servers, databases, polling); two files
 * side by side fill it. The api and production projects stay one file at a time (one shared stack).
 */
const UNIT_WORKERS = Math.max(2, availableParallelism() - 1);

/** Settings both projects share. */
const shared: ViteUserConfig = {
  resolve: {
    // One copy of graphql: Vite would otherwise pick index.mjs for transformed files while
    // type-graphql/@apollo/* (loaded by Node) get index.js ("another module or realm").
    // The workspace packages run from their TypeScript sources, as with `--conditions=source`.
    alias: [
      { find: /^graphql$/, replacement: require.resolve('graphql') },
      { find: /^@supergraph\/kit$/, replacement: fileURLToPath(new URL('./kit/src/index.ts', import.meta.url)) },
    ],
  },
};

/**
 * Two projects: `unit` (modules of the kit, router and subgraphs, each test starting what it
 * needs) and `api` (the contract through a running supergraph: one stack per run, started by
 * test/support/global-setup.ts on the embedded default, or on Postgres + Redis when
 * TEST_DATABASE_URL / TEST_REDIS_URL are set).
 */
export default defineConfig({
  ...shared,
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    env: { APOLLO_TELEMETRY_DISABLED: 'true', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: ['{bench,kit,router,scripts,subgraphs/*}/test/**/*.test.ts', 'test/deployment/**/*.test.ts'],
          maxWorkers: UNIT_WORKERS,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'api',
          include: ['test/api/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        ...shared,
        test: {
          // Fault tests on the production topology: each file starts its own processes (built
          // JavaScript, `npm run build` first), its own Redis where it stops Redis, and its own databases.
          name: 'production',
          include: ['test/production/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
