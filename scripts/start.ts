/**
 * `npm start`: the whole platform in one process on the embedded default (PGlite under .data/,
 * in-process bus), or on Postgres/Redis when DATABASE_URL/REDIS_URL are set. The console shows the
 * banner, warnings and errors (LOG_LEVEL=info or debug for more), pretty on a terminal.
 */
import { startStack } from './stack';

async function main(): Promise<void> {
  const started = Date.now();
  const stack = await startStack({
    ports: 'default',
    dataDir: process.env.DATA_DIR ?? '.data',
    databaseUrl: process.env.DATABASE_URL || undefined,
    redisUrl: process.env.REDIS_URL || undefined,
    env: { LOG_LEVEL: process.env.LOG_LEVEL || 'warn' },
  });
  const origin = new URL(stack.routerUrl).origin;
  console.log(
    [
      '',
      `Supergraph ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
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
