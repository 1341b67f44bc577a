import type { Logger, Revocation, RevocationStore } from '@supergraph/kit';

/** How often entries past their expiry are dropped (they only refuse tokens that expired anyway). */
const PRUNE_EVERY_MS = 60_000;

/**
 * This replica's copy of the access-token revocations in force, fed by the revocation store
 * (Redis pub/sub in production, in-process in the embedded default): never a call per request.
 * {@link refuses} is two map lookups and allocates nothing, so it runs on every request, cached
 * tokens included.
 */
export class RevocationList {
  /** Revoked session id → expiry (ms). */
  private readonly sessions = new Map<string, number>();
  /** User id → the lowest token generation still accepted, and until when that holds (ms). */
  private readonly users = new Map<string, { generation: number; expiresAtMs: number }>();
  private readonly listeners = new Set<(r: Revocation) => void>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: RevocationStore,
    private readonly log?: Logger,
  ) {}

  /** Loads the revocations in force and follows new ones; resolves once loaded. */
  async start(): Promise<void> {
    await this.store.follow((r) => this.add(r));
    this.timer = setInterval(() => this.prune(Date.now()), PRUNE_EVERY_MS);
    this.timer.unref();
    this.log?.debug({ sessions: this.sessions.size, users: this.users.size }, 'access-token revocations loaded');
  }

  /** True when a token of `userId` in session `sessionId` issued at `generation` must be refused. */
  refuses(userId: string, sessionId: string | undefined, generation: number): boolean {
    if (sessionId !== undefined && this.sessions.has(sessionId)) return true;
    const user = this.users.get(userId);
    return user !== undefined && generation < user.generation;
  }

  /**
   * Calls `listener` with every revocation taken in from now on (repeats included: a store that
   * reconnects hands over those in force again). Returns the function that stops calling it.
   */
  onRevocation(listener: (r: Revocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Revocations held (metrics, tests). */
  get size(): number {
    return this.sessions.size + this.users.size;
  }

  /** Takes one revocation in (a repeat is harmless; a lower generation never lowers the bar). */
  add(r: Revocation): void {
    if (r.kind === 'session') {
      this.sessions.set(r.sessionId, Math.max(r.expiresAtMs, this.sessions.get(r.sessionId) ?? 0));
    } else {
      const known = this.users.get(r.userId);
      if (!known || r.generation > known.generation) {
        this.users.set(r.userId, { generation: r.generation, expiresAtMs: r.expiresAtMs });
      } else if (r.generation === known.generation && r.expiresAtMs > known.expiresAtMs)
        known.expiresAtMs = r.expiresAtMs;
    }
    for (const listener of this.listeners) listener(r);
  }

  /** Drops the entries expired at `nowMs`. */
  prune(nowMs: number): void {
    for (const [id, expiresAtMs] of this.sessions) if (expiresAtMs <= nowMs) this.sessions.delete(id);
    for (const [id, user] of this.users) if (user.expiresAtMs <= nowMs) this.users.delete(id);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.store.close();
  }
}
