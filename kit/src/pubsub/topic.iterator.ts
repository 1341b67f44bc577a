/**
 * A push-to-pull bridge between a publisher and one subscriber: values given to `push` are
 * handed out by the async iterator in order. At most `maxQueue` undelivered values are kept and
 * the oldest are dropped beyond that, so a stalled subscriber cannot grow memory without bound.
 * `return()` (a client unsubscribing) ends the iteration at once, even while a `next()` waits,
 * and runs `onClose` exactly once.
 */
export class TopicIterator<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private readonly waiting: Array<(result: IteratorResult<T>) => void> = [];
  private done = false;

  constructor(
    private readonly onClose: () => void,
    private readonly maxQueue = 1_000,
  ) {}

  /** Hands `value` to a waiting `next()`, or queues it. Ignored after the iteration ended. */
  push(value: T): void {
    if (this.done) return;
    const resolve = this.waiting.shift();
    if (resolve) return resolve({ value, done: false });
    this.queue.push(value);
    if (this.queue.length > this.maxQueue) this.queue.shift();
  }

  /** The next queued value, or the next one pushed; `done` once the iteration ended and the queue is empty. */
  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift() as T, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Ends the iteration: drops what is queued, settles waiting `next()` calls as done, runs `onClose` once. */
  return(): Promise<IteratorResult<T>> {
    if (!this.done) {
      this.done = true;
      this.queue.length = 0;
      for (const resolve of this.waiting.splice(0)) resolve({ value: undefined, done: true });
      this.onClose();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Ends the iteration like `return()` and rejects with `error`. */
  throw(error?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
