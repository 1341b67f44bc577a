/**
 * `npm start`: the whole platform in one process on the embedded default (PGlite under .data/,
 * in-process bus), or on Postgres/Redis when DATABASE_URL/REDIS_URL are set. The console shows the
 * banner, warnings and errors (LOG_LEVEL=info or debug for more), pretty on a terminal.
 *
 * What takes time runs side by side: the embedded databases (worker threads, from a template made
 * once) and the dashboard build (esbuild's own process) start before the services' code loads, and
 * the five subgraphs start together.
 */
import { embeddedDataDir, startEmbeddedPostgresEarly } from '../kit/src/db/embedded-postgres';
import { buildDashboard } from './build-dashboard';
import { SUBGRAPHS } from './topology';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = process.env.DATA_DIR ?? '.data';
  if (!databaseUrl) startEmbeddedPostgresEarly(SUBGRAPHS.flatMap(({ name }) => embeddedDataDir(dataDir, name) ?? []));
  const dashboard = buildDashboard({ ifChanged: true });
  // Loaded only now, so that the work above is under way while the services' modules load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startStack } = require('./stack') as typeof import('./stack');
  const stack = await startStack({
    ports: 'default',
    dataDir,
    databaseUrl,
    redisUrl: process.env.REDIS_URL || undefined,
    env: { LOG_LEVEL: process.env.LOG_LEVEL || 'warn' },
  });
  await dashboard;
  const origin = new URL(stack.routerUrl).origin;
  console.log(
    [
      '',
      // Counted from the process's start, module loading included.
      `Supergraph ready in ${(performance.now() / 1000).toFixed(1)} s`,
      `  GraphQL (HTTP + WebSocket)  ${stack.routerUrl}`,
      `  Apollo Sandbox              ${origin}/`,
      `  Health                      ${origin}/health`,
      ...Object.values(stack.subgraphs).map((s) => `  subgraph ${s.name.padEnd(18)} ${s.url}`),
      `  Sign in as ADMIN: ${process.env.ADMIN_EMAIL ?? 'admin@example.com'} / ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : 'admin-password-123'}`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error('Start failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
