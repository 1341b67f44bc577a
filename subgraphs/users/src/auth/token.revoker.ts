import type { Logger, Revocation, RevocationStore } from '@supergraph/kit';

/** Margin on top of the access-token lifetime, for clocks of users and router replicas that differ a little. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Stops access tokens before their expiry: records revocations in the deployment's revocation
 * store, which every router replica follows (README, security model). Called after the change
 * that ends the sessions was committed, so a refused token always matches a committed change.
 * A revocation kept past the access-token lifetime has nothing left to refuse, so it expires then.
 */
export class TokenRevoker {
  constructor(
    private readonly store: RevocationStore,
    private readonly accessTokenTtlSeconds: number,
  ) {}

  /** Refuses every access token of these sessions (refresh-token families). */
  sessions(sessionIds: readonly string[], log: Logger): Promise<void> {
    const expiresAtMs = this.expiry();
    return this.record(
      sessionIds.map((sessionId) => ({ kind: 'session', sessionId, expiresAtMs })),
      log,
    );
  }

  /** Refuses every access token of `userId` issued with a generation below `generation`. */
  userBelow(userId: string, generation: number, log: Logger): Promise<void> {
    return this.record([{ kind: 'user', userId, generation, expiresAtMs: this.expiry() }], log);
  }

  private expiry(): number {
    return Date.now() + this.accessTokenTtlSeconds * 1000 + CLOCK_SKEW_MS;
  }

  /**
   * The change is committed already; when the store cannot be reached the refresh tokens are
   * still dead, so the access tokens end at their expiry at the latest. That is logged as an error.
   */
  private async record(revocations: Revocation[], log: Logger): Promise<void> {
    if (!revocations.length) return;
    try {
      await this.store.revoke(revocations);
    } catch (err) {
      log.error({ err, revocations: revocations.length }, 'access-token revocations could not be recorded');
    }
  }
}
