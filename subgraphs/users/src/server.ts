import { defineSubgraph, openRevocationStore, runSubgraph, type SubgraphDeps } from '@supergraph/kit';
import { AuthService } from './auth/auth.service';
import { RevocationRelay } from './auth/revocation.relay';
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
 * The users subgraph: GraphQL on `/graphql`, the JWKS document, and the revocation relay, which
 * hands committed revocations to the revocation store (Redis, or in-process) through which ended
 * sessions stop at the router.
 */
export const users = defineSubgraph(
  { entities: ENTITIES, migrations: MIGRATIONS },
  async ({ config, log, db, emit }: SubgraphDeps<UsersConfig>) => {
    const key = await loadSigningKey(config.jwtPrivateKey, config.dataDir);
    const secrets = loadSecretBox(config.totpEncryptionKey, config.dataDir);
    // Opened last: nothing after it can fail before the kit holds it (as a worker).
    const revocations = openRevocationStore({ redisUrl: config.redisUrl, redisPrefix: config.redisPrefix });
    const relay = new RevocationRelay(db.orm, revocations, log.child({ component: 'revocation relay' }), {
      // In-process the store takes a revocation synchronously: in force before users answers.
      awaitDelivery: !config.redisUrl,
    });
    const revoker = new TokenRevoker(relay, config.accessTokenTtlSeconds);
    const auth = new AuthService(config, key, secrets, revoker, emit);
    return {
      schema: buildSchema({ auth, emit }),
      createLoaders,
      routes(app) {
        app.get(JWKS_PATH, (_req, res) => {
          res.set('cache-control', 'public, max-age=300').json({ keys: [key.publicJwk] });
        });
      },
      seed: () => seedUsers(db.orm.em.fork(), config, emit),
      // Stopped in reverse order: the relay's last round ends before the store closes.
      workers: [{ name: 'revocations', stop: () => revocations.close() }, relay],
    };
  },
);

/** Starts the users subgraph. */
export const start = (config: UsersConfig = loadConfig()) => runSubgraph(users, config);
