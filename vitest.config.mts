import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/** The test suite on the embedded default (PGlite, in-process bus). */
export default defineConfig({
  resolve: {
    // One copy of graphql: Vite would otherwise pick index.mjs for transformed files while
    // type-graphql/@apollo/* (loaded by Node) get index.js ("another module or realm").
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
    conditions: ['source'],
  },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['{kit,router,subgraphs/*,test}/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { APOLLO_TELEMETRY_DISABLED: 'true', LOG_LEVEL: 'warn' },
  },
});
