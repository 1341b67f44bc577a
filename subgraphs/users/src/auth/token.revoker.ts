import type { EntityManager } from '@mikro-orm/postgresql';
import { PendingRevocation } from '../entities/pending-revocation.entity';
import type { RevocationRelay } from './revocation.relay';

/** Margin on top of the access-token lifetime, for clocks of users and router replicas that differ a little. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Stops access tokens before their expiry (README, security model). A revocation is recorded in
 * the unit of work of the change that causes it (`pending_revocation`, the revocation outbox), so
 * it commits or rolls back with that change: a refused token always matches a committed change,
 * and a committed change always reaches the revocation store, which every router replica follows
 * (the {@link RevocationRelay} retries until the store accepts it). A revocation kept past the
 * access-token lifetime has nothing left to refuse, so it expires then.
 */
export class TokenRevoker {
  constructor(
    private readonly relay: RevocationRelay,
    private readonly accessTokenTtlSeconds: number,
  ) {}

  /**
   * Runs `work` in one transaction of `em` (every query of `work` goes through `tx`), commits,
   * then has the relay hand the revocations `work` recorded to the store (see
   * {@link RevocationRelay.committed}). Rolls back and rethrows when `work` throws.
   */
  async transaction<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    const result = await em.transactional(work);
    await this.relay.committed();
    return result;
  }

  /** Records (persists, does not flush) the refusal of every access token of these sessions (refresh-token families). */
  sessions(em: EntityManager, sessionIds: readonly string[]): void {
    const expiresAt = this.expiry();
    for (const subjectId of sessionIds) em.create(PendingRevocation, { kind: 'session', subjectId, expiresAt });
  }

  /** Records (persists, does not flush) the refusal of every access token of `userId` issued with a generation below `generation`. */
  userBelow(em: EntityManager, userId: string, generation: number): void {
    em.create(PendingRevocation, { kind: 'user', subjectId: userId, generation, expiresAt: this.expiry() });
  }

  private expiry(): Date {
    return new Date(Date.now() + this.accessTokenTtlSeconds * 1000 + CLOCK_SKEW_MS);
  }
}
