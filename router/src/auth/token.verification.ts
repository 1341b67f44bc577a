import { openRevocationStore, type Logger } from '@supergraph/kit';
import { AccessTokenVerifier } from '../access-token.verifier';
import type { RouterConfig } from '../config';
import { RevocationList } from './revocation.list';

/** The router's access-token verification, running; `stop` stops following revocations. */
export interface TokenVerification {
  verifier: AccessTokenVerifier;
  /** The revocations in force, followed from the store (open sockets are ended by them too). */
  revocations: RevocationList;
  stop(): Promise<void>;
}

/**
 * Verifies access tokens against the users subgraph's JWKS and refuses revoked ones: logged-out
 * sessions, ended sessions and re-issued accounts (README, security model), followed from the
 * revocation store (Redis when configured, shared by every replica) before the first request.
 */
export async function startTokenVerification(config: RouterConfig, log: Logger): Promise<TokenVerification> {
  const store = openRevocationStore({ redisUrl: config.redisUrl, redisPrefix: config.redisPrefix, log });
  const revocations = new RevocationList(store, log);
  await revocations.start();
  return {
    verifier: new AccessTokenVerifier(config.jwksUrl, config.jwtIssuer, revocations),
    revocations,
    stop: () => revocations.stop(),
  };
}
