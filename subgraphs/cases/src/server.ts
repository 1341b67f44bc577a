import { runSubgraph, type RunningService } from '@supergraph/kit';
import { loadConfig, type CasesConfig } from './config';
import { CaseRules } from './domain/case.service';
import { ENTITIES } from './entities';
import { consumeUserEvents } from './events/known-user.consumer';
import { createGeocoder } from './geocoding';
import { mountCasePageRoutes } from './http/case-page.routes';
import { mountMediaRoutes } from './http/media.routes';
import { createLoaders } from './loaders/case.loader';
import { createPhotoStorage } from './media';
import { MIGRATIONS } from './migrations';
import { buildSchema } from './schema';

/**
 * Starts the cases subgraph: database, GraphQL on `/graphql`, the media routes under `/media/` and
 * the public case pages under `/cases/` (both reached through the router), and the consumer of
 * user events that also seeds the demo cases.
 */
export async function start(config: CasesConfig = loadConfig()): Promise<RunningService> {
  let providerErrors: ((err: Error, provider: string, place: string) => void) | undefined;
  const geocoder = createGeocoder(config.geocoder, {
    onProviderError: (err, provider, place) => providerErrors?.(err, provider, place),
  });
  const photos = createPhotoStorage(config.photoStorage);
  const rules = new CaseRules({ geocoder, publicOrigin: config.publicOrigin });
  return runSubgraph(
    {
      entities: ENTITIES,
      migrations: MIGRATIONS,
      buildSchema: () => buildSchema({ rules, geocoder, photos }),
      createLoaders,
      routes(app, deps) {
        providerErrors = (err, provider, place) =>
          deps.log.warn({ err: err.message, provider, place }, 'a geocoding provider failed');
        mountMediaRoutes(app, deps, {
          rules,
          photos,
          signingSecret: config.signingSecret,
          publicContact: config.posterPublicContact,
        });
        mountCasePageRoutes(app, deps, {
          rules,
          geocoder,
          signingSecret: config.signingSecret,
          publicContact: config.posterPublicContact,
        });
      },
      async background(deps) {
        const users = await consumeUserEvents(deps, { seed: config.seed, geocoder });
        return [() => users.close()];
      },
    },
    config,
  );
}
