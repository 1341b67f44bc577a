import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { outsideLogScope, type Logger, type RevocationStore, type Worker } from '@supergraph/kit';
import { PendingRevocation, revocationOf } from '../entities/pending-revocation.entity';

/** Settings of a {@link RevocationRelay}. */
export interface RevocationRelayOptions {
  /**
   * Whether the request that committed revocations waits for them to reach the store. Worth it
   * when the store is in-process (the embedded default: a local transaction); with Redis a round
   * can wait seconds on an unreachable server, so the relay is only started and the request answers.
   */
  awaitDelivery: boolean;
  /** Poll period (default 1000 ms): the longest a committed revocation waits once the store is reachable. */
  intervalMs?: number;
  /** Rows handed to the store per call (default 500). */
  batchSize?: number;
}

/**
 * Moves committed revocations from `pending_revocation` (the revocation outbox) to the revocation
 * store that every router replica follows. A round reads the waiting rows, hands the unexpired ones
 * to the store and deletes them once the store accepted them; when the store refuses (Redis down)
 * the rows stay and the next round, at the latest `intervalMs` later, tries again: a committed
 * revocation is never lost. Rounds take no row locks: replicas of users may apply the same row
 * twice, which the store absorbs (a revocation is idempotent). Rounds of one relay never overlap,
 * and a round asked for after a commit starts after it, so it sees that commit's rows.
 */
export class RevocationRelay implements Worker {
  readonly name = 'revocation relay';
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly store: RevocationStore,
    private readonly log: Logger,
    private readonly options: RevocationRelayOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 1_000;
    this.batchSize = options.batchSize ?? 500;
  }

  /** Starts polling: a round at once (what an earlier run left), then every `intervalMs`. */
  start(): void {
    if (this.stopped || this.timer) return;
    const tick = () => {
      void this.deliver().then(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
      });
    };
    outsideLogScope(tick);
  }

  /** Stops polling; resolves once the round in progress has ended. Safe before `start()`. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.queued;
    await this.running;
  }

  /**
   * To call once a transaction that recorded revocations has committed: with `awaitDelivery`,
   * resolves after a round that started after the commit (the revocations are then in the store,
   * unless it refused them: the polling retries); otherwise starts that round and resolves at once.
   * Never rejects.
   */
  committed(): Promise<void> {
    if (this.options.awaitDelivery) return this.deliver();
    // Background work: not counted as the request's (logs, SQL statements).
    outsideLogScope(() => void this.deliver());
    return Promise.resolve();
  }

  /** A round that starts after this call (joining one already asked for); never rejects. */
  private deliver(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (!this.running) return this.begin();
    // The round under way may have read the table before the caller's commit: one more follows it.
    this.queued ??= this.running.then(() => {
      this.queued = null;
      return this.running ?? this.begin();
    });
    return this.queued;
  }

  private begin(): Promise<void> {
    const round: Promise<void> = this.round()
      .catch((err: unknown) => this.log.warn({ err }, 'revocations not handed to the store yet: will retry'))
      .finally(() => {
        if (this.running === round) this.running = null;
      });
    this.running = round;
    return round;
  }

  private async round(): Promise<void> {
    const em = this.orm.em.fork({ disableContextResolution: true }) as EntityManager;
    for (;;) {
      const rows = await em.find(
        PendingRevocation,
        {},
        { orderBy: { createdAt: 'asc', id: 'asc' }, limit: this.batchSize },
      );
      if (!rows.length) return;
      const now = Date.now();
      // An expired revocation has nothing left to refuse: every token it covered has expired too.
      const live = rows.filter((r) => r.expiresAt.getTime() > now).map(revocationOf);
      if (live.length) await this.store.revoke(live);
      await em.nativeDelete(PendingRevocation, { id: { $in: rows.map((r) => r.id) } });
      em.clear();
      if (rows.length < this.batchSize || this.stopped) return;
    }
  }
}
