import { defineSubgraph, runSubgraph, type SubgraphDeps } from '@supergraph/kit';
import { loadConfig, type CasesConfig } from './config';
import { CaseRules } from './domain/case.service';
import { ENTITIES } from './entities';
import { knownUserConsumer } from './events/known-user.consumer';
import { createGeocoder } from './geocoding';
import { mountCasePageRoutes } from './http/case-page.routes';
import { mountMediaRoutes } from './http/media.routes';
import { createLoaders } from './loaders/case.loader';
import { createPhotoStorage } from './media';
import { MIGRATIONS } from './migrations';
import { buildSchema } from './schema';

/**
 * The cases subgraph: GraphQL on `/graphql`, the media routes under `/media/` and the public case
 * pages under `/cases/` (both reached through the router), and the consumer of user events that
 * also seeds the demo cases.
 */
export const cases = defineSubgraph(
  { entities: ENTITIES, migrations: MIGRATIONS },
  (deps: SubgraphDeps<CasesConfig>) => {
    const { config, log, emit } = deps;
    const geocoder = createGeocoder(config.geocoder, {
      onProviderError: (err, provider, place) =>
        log.warn({ err: err.message, provider, place }, 'a geocoding provider failed'),
    });
    const photos = createPhotoStorage(config.photoStorage);
    const rules = new CaseRules({ geocoder, publicOrigin: config.publicOrigin, emit });
    const pages = { rules, signingSecret: config.signingSecret, publicContact: config.posterPublicContact };
    return {
      schema: buildSchema({ rules, geocoder, photos, emit }),
      createLoaders,
      routes(app) {
        mountMediaRoutes(app, deps, { ...pages, photos });
        mountCasePageRoutes(app, deps, { ...pages, geocoder });
      },
      consumers: [knownUserConsumer({ seed: config.seed, geocoder, emit, log })],
    };
  },
);

/** Starts the cases subgraph. */
export const start = (config: CasesConfig = loadConfig()) => runSubgraph(cases, config);
