/**
 * A push-to-pull bridge: values pushed in are handed out by an async iterator. `return()` (a
 * client unsubscribing) ends the iterator at once, even while a `next()` is waiting, and runs
 * `onClose` exactly once. At most `limit` undelivered values are kept; the oldest are dropped
 * beyond that, so a stalled subscriber cannot grow memory without bound.
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private readonly waiting: Array<(r: IteratorResult<T>) => void> = [];
  private closed = false;

  constructor(
    private readonly onClose: () => void,
    private readonly limit = 1_000,
  ) {}

  /** Hands `value` to a waiting `next()` or buffers it; ignored once closed. */
  push(value: T): void {
    if (this.closed) return;
    const resolve = this.waiting.shift();
    if (resolve) return resolve({ value, done: false });
    this.buffer.push(value);
    if (this.buffer.length > this.limit) this.buffer.shift();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length) return Promise.resolve({ value: this.buffer.shift()!, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      this.buffer.length = 0;
      for (const resolve of this.waiting.splice(0)) resolve({ value: undefined, done: true });
      this.onClose();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
