import { randomUUID } from 'node:crypto';
import { IDENTITY_HEADER, signIdentity } from '@supergraph/kit';
import {
  SESSION_ENDED_MESSAGE,
  TOKEN_EXPIRED_MESSAGE,
  type AccessTokenVerifier,
  type VerifiedToken,
} from '../access-token.verifier';
import { stableStringify } from '../subscriptions/operation.executor';
import type { SubscriptionEngine, SubscriptionEngineOptions } from '../subscriptions';
import type { RevocationList } from './revocation.list';

/** The engine options {@link SocketSessions} fills in. */
export type SocketSessionOptions = Pick<
  SubscriptionEngineOptions<VerifiedToken>,
  'authenticate' | 'identityKey' | 'upstreamConnectionParams' | 'context' | 'credentialsEndAt' | 'credentialsEndReason'
>;

/**
 * The access token behind each graphql-ws client of the router, for as long as its socket is open:
 * - at connection_init the token (`authorization` param, "Bearer …") is verified as over HTTP;
 *   none means anonymous, a bad, expired or revoked one closes the socket with 4401;
 * - when the token expires, the socket closes with 4401 "… The access token has expired …" (a
 *   client refreshes and reconnects, as it would after a 401 over HTTP);
 * - when a revocation that refuses the token arrives (logout, revoked session, password change,
 *   role change, disabled account), the socket closes with 4401 "… This session has ended …" as
 *   soon as this replica takes the revocation in: at once embedded, within the pub/sub delay with
 *   Redis. Nothing more is delivered on it, undelivered events included.
 * Subgraphs see only the identity, signed, as over HTTP.
 */
export class SocketSessions {
  /** What the subscription engine needs from this class; spread it into its options. */
  readonly engineOptions: SocketSessionOptions;

  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly revocations: RevocationList,
    signingSecret: string,
  ) {
    this.engineOptions = {
      // Anonymous clients may subscribe to public fields; a token that is present must be valid.
      authenticate: async (params) => {
        const auth = params?.authorization ?? params?.Authorization;
        return typeof auth === 'string' && auth ? verifier.tokenFromAuthorization(auth) : null;
      },
      identityKey: (token) => stableStringify(token?.identity ?? null),
      upstreamConnectionParams: async (token) => ({
        [IDENTITY_HEADER]: await signIdentity(token?.identity ?? {}, randomUUID(), signingSecret),
      }),
      context: ({ identity: token }) => ({ identity: token?.identity ?? {}, correlationId: randomUUID() }),
      credentialsEndAt: (token) => (token.expiresAtMs > 0 ? token.expiresAtMs : undefined),
      credentialsEndReason: TOKEN_EXPIRED_MESSAGE,
    };
  }

  /**
   * Ends, on `engine`, the clients whose token a revocation refuses, from now on. Revocations that
   * arrive together (a store reloading those in force) are checked in one pass over the clients.
   * Returns the function that stops following.
   */
  follow(engine: SubscriptionEngine<VerifiedToken>): () => void {
    let pending: NodeJS.Immediate | undefined;
    const sweep = () => {
      pending = undefined;
      engine.endClients((token) => this.verifier.isRevoked(token), SESSION_ENDED_MESSAGE);
    };
    const stop = this.revocations.onRevocation(() => {
      pending ??= setImmediate(sweep);
    });
    return () => {
      stop();
      if (pending) clearImmediate(pending);
    };
  }
}
