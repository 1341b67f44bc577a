import { loadConfig as loadRouterConfig } from '../../router/src/config';
import { SUBGRAPH_ENTRIES } from '../../scripts/services';
import { SUBGRAPHS, type SubgraphName } from '../../scripts/topology';

/** A service of the platform: a subgraph or the router. */
export type ServiceName = SubgraphName | 'router';

/** Values that switch on the configuration branches reading more variables (providers, S3). */
const BRANCHES: Record<string, string> = {
  PHOTO_S3_BUCKET: 'photos',
  PHOTO_S3_ENDPOINT: 'http://s3.example.test',
  PHOTO_S3_ACCESS_KEY_ID: 'id',
  PHOTO_S3_SECRET_ACCESS_KEY: 'secret',
};

/**
 * The environment variables `service` reads: its configuration loader runs against an
 * environment that records every name looked up (zod reads each key of its schemas, and the
 * optional branches are switched on). The router also takes any `<NAME>_URL`; the subgraphs'
 * ones are what it reads in practice.
 */
export function envReadBy(service: ServiceName): string[] {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get(_target, key) {
      if (typeof key !== 'string') return undefined;
      read.add(key);
      return BRANCHES[key];
    },
    has: (_target, key) => typeof key === 'string' && key in BRANCHES,
    ownKeys: () => [],
  });
  if (service === 'router') {
    loadRouterConfig(env);
    for (const { name } of SUBGRAPHS) read.add(`${name.toUpperCase()}_URL`);
  } else {
    SUBGRAPH_ENTRIES[service].loadConfig(env);
  }
  return [...read].filter((name) => /^[A-Z][A-Z0-9_]*$/.test(name)).sort();
}

/** Every service: the subgraphs in topology order, then the router. */
export const SERVICES: ServiceName[] = [...SUBGRAPHS.map((s) => s.name), 'router'];
