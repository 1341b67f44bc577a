import { openRevocationStore, runSubgraph, type RunningService } from '@supergraph/kit';
import { AuthService } from './auth/auth.service';
import { loadSecretBox } from './auth/secret.box';
import { loadSigningKey } from './auth/signing-key';
import { TokenRevoker } from './auth/token.revoker';
import { loadConfig, type UsersConfig } from './config';
import { ENTITIES } from './entities';
import { createLoaders } from './loaders/user.loader';
import { MIGRATIONS } from './migrations';
import { buildSchema } from './schema';
import { seedUsers } from './seed/seed';

/** Path of the public JSON Web Key Set the router verifies access tokens with. */
export const JWKS_PATH = '/.well-known/jwks.json';

/**
 * Starts the users subgraph: database, GraphQL on `/graphql`, the JWKS document, and the
 * revocation store (Redis, or in-process) through which ended sessions stop at the router.
 */
export async function start(config: UsersConfig = loadConfig()): Promise<RunningService> {
  const key = await loadSigningKey(config.jwtPrivateKey, config.dataDir);
  const revocations = openRevocationStore({ redisUrl: config.redisUrl, redisPrefix: config.redisPrefix });
  const revoker = new TokenRevoker(revocations, config.accessTokenTtlSeconds);
  const auth = new AuthService(config, key, loadSecretBox(config.totpEncryptionKey, config.dataDir), revoker);
  return runSubgraph(
    {
      entities: ENTITIES,
      migrations: MIGRATIONS,
      buildSchema: () => buildSchema(auth),
      background: async () => [() => revocations.close()],
      createLoaders,
      routes(app) {
        app.get(JWKS_PATH, (_req, res) => {
          res.set('cache-control', 'public, max-age=300').json({ keys: [key.publicJwk] });
        });
      },
      seed: ({ db }) => seedUsers(db.orm.em.fork(), config),
    },
    config,
  );
}
