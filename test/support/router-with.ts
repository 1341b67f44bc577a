import { inject } from 'vitest';
import { loadConfig } from '../../router/src/config';
import { start, type RunningRouter } from '../../router/src/server';

/** A second router in the test process, on the suite's subgraphs, with settings of its own (`env`). */
export function routerWith(env: NodeJS.ProcessEnv): Promise<RunningRouter> {
  const urls = Object.fromEntries(
    Object.entries(inject('subgraphUrls')).map(([name, url]) => [`${name.toUpperCase()}_URL`, url]),
  );
  const production = inject('mode') === 'production';
  return start(
    loadConfig({
      ...urls,
      PORT: '0',
      LOG_LEVEL: 'warn',
      NODE_ENV: production ? 'production' : 'test',
      ROUTER_SIGNING_SECRET: inject('signingSecret'),
      ...env,
    }),
  );
}
