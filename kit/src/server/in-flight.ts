/**
 * In-flight sharing of identical work: while a computation for a key runs, callers with the same
 * key wait for it instead of starting their own. Nothing is remembered once it settles, so this
 * never serves a result older than the request that gets it.
 */
export class InFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  /** How many distinct computations are running now. */
  get size(): number {
    return this.running.size;
  }

  /**
   * The result of `compute` for `key`: the running one's when there is one (then `onShared` is
   * called), else a new one. A rejection reaches every caller that shared it.
   */
  run(key: string, compute: () => Promise<T>, onShared?: () => void): Promise<T> {
    const current = this.running.get(key);
    if (current) {
      onShared?.();
      return current;
    }
    const started = compute().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }
}
