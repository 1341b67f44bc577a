/**
 * A push-to-pull bridge: values pushed with `push` are handed out by the async iterator in
 * order. The queue is bounded (oldest values are dropped first), because a slow subscriber of
 * a "latest figures" topic only needs the newest values. `return()` ends the iteration at once
 * and runs `onClose` exactly once, so a client disconnect releases its subscription.
 */
export class TopicIterator<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private readonly waiting: Array<(result: IteratorResult<T>) => void> = [];
  private done = false;

  constructor(
    private readonly onClose: () => void,
    private readonly maxQueue = 100,
  ) {}

  /** Hands `value` to a waiting consumer, or queues it. Ignored after the iterator ended. */
  push(value: T): void {
    if (this.done) return;
    const next = this.waiting.shift();
    if (next) return next({ value, done: false });
    this.queue.push(value);
    if (this.queue.length > this.maxQueue) this.queue.shift();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift() as T, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.done) {
      this.done = true;
      this.queue.length = 0;
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
