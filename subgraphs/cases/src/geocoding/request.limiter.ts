import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs tasks one at a time, in call order, and starts each task no sooner than `minIntervalMs`
 * after the previous task finished. Spacing from the previous *completion* (not its start) keeps
 * the gap between requests as seen by the server at least `minIntervalMs`, whatever the latency.
 * A failing task does not stall the queue; its rejection reaches only its own caller.
 */
export class SerialRateLimiter {
  private queue: Promise<void> = Promise.resolve();
  private lastFinishedAt = Number.NEGATIVE_INFINITY;

  constructor(readonly minIntervalMs: number) {
    if (!Number.isFinite(minIntervalMs) || minIntervalMs < 0) {
      throw new RangeError(`minIntervalMs must be a non-negative number, got ${minIntervalMs}`);
    }
  }

  /** Queues `task`; resolves or rejects with the task's own outcome. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const outcome = this.queue.then(async () => {
      await this.waitForSlot();
      try {
        return await task();
      } finally {
        this.lastFinishedAt = performance.now();
      }
    });
    this.queue = outcome.then(
      () => undefined,
      () => undefined,
    );
    return outcome;
  }

  private async waitForSlot(): Promise<void> {
    // Timers may fire a fraction of a millisecond early, so re-check against the monotonic clock.
    for (;;) {
      const remaining = this.lastFinishedAt + this.minIntervalMs - performance.now();
      if (remaining <= 0) return;
      await sleep(Math.ceil(remaining));
    }
  }
}
