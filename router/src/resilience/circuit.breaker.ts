/** Circuit-breaker settings of one subgraph. */
export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses fetches before letting one trial through. */
  openMs: number;
}

/**
 * Closed → (N consecutive failures) → open: fetches fail at once → (after openMs) half-open: one
 * trial fetch; its success closes the circuit, its failure opens it again. Fail-fast keeps a dead
 * subgraph from tying up the router's sockets and the clients' time.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    private readonly opts: BreakerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** 'closed' | 'open' | 'half-open', for metrics and tests. */
  get state(): 'closed' | 'open' | 'half-open' {
    if (this.failures < this.opts.failureThreshold) return 'closed';
    return this.now() - this.openedAt >= this.opts.openMs ? 'half-open' : 'open';
  }

  /** Whether a fetch may go out now (in half-open, only one trial at a time). */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.trialInFlight = false;
  }

  failure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.failures >= this.opts.failureThreshold) this.openedAt = this.now();
  }

  /** Seconds until a trial is allowed, for error messages. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.opts.openMs - (this.now() - this.openedAt)) / 1000));
  }
}

/** Exponential backoff with full jitter: a random delay below base·2^(attempt−1), capped. */
export function retryDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** (attempt - 1)));
}
