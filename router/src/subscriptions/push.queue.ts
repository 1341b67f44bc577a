/**
 * A count of undelivered items shared by all queues of one client (one WebSocket), so the bound
 * holds per client however many subscriptions it runs.
 */
export interface QueueBudget {
  /** Items pushed into this client's queues and not yet taken by graphql-ws. */
  queued: number;
  /** The most items the client may have pending; going over it calls `onOverflow`. */
  readonly max: number;
  /** Called once per push that takes `queued` over `max` (the engine closes the socket). */
  onOverflow(): void;
}

/**
 * Push-based async iterator of results, in push order. Items are promises so results that are
 * still being resolved keep their place; `next()` waits for the head. `return()` ends a pending
 * `next()` at once and calls `onClose` exactly once (unlike an async generator, which cannot be
 * interrupted while it awaits), so a client leaving releases its upstream immediately.
 */
export class PushQueue<T> implements AsyncIterableIterator<T> {
  private items: Promise<T>[] = [];
  private waiter?: (r: IteratorResult<T>) => void;
  private ended = false;
  private returned = false;
  private closed = false;
  private markFinished!: () => void;
  /** Resolves once the consumer has been told `done` (or left through `return()`). */
  readonly finished = new Promise<void>((resolve) => {
    this.markFinished = resolve;
  });

  constructor(
    private readonly budget: QueueBudget,
    private readonly onClose: () => void,
  ) {}

  /** Number of items not yet taken. */
  get size(): number {
    return this.items.length;
  }

  /** True once `end()` or `return()` was called: later pushes are dropped. */
  get isEnded(): boolean {
    return this.ended;
  }

  /**
   * Appends an item. A push over the client's budget still lands (the caller decides what an
   * overflow means) but reports it through `budget.onOverflow`. `final` items (the last error of
   * a subscription) are never counted as an overflow.
   */
  push(item: Promise<T>, final = false): void {
    if (this.ended) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      // A consumer that left while this item resolved must not get it after `return()`.
      void item.then((value) => w(this.returned ? { value: undefined, done: true } : { value, done: false }));
      return;
    }
    this.items.push(item);
    this.budget.queued++;
    if (!final && this.budget.queued > this.budget.max) this.budget.onOverflow();
  }

  /** No more items: the queued ones are still delivered, then the iterator is done. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.items.length === 0) this.finish();
  }

  /** Delivers the head item once resolved; waits when empty; done after `end()` drains. */
  next(): Promise<IteratorResult<T>> {
    const head = this.items.shift();
    if (head) {
      this.budget.queued--;
      return head.then((value) => {
        if (this.ended && this.items.length === 0) this.close();
        return { value, done: false };
      });
    }
    if (this.ended || this.closed) {
      this.close();
      this.markFinished();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** The consumer leaves (client `complete`, socket closed): drops the backlog and closes. */
  return(): Promise<IteratorResult<T>> {
    this.ended = true;
    this.returned = true;
    this.budget.queued -= this.items.length;
    this.items = [];
    this.finish();
    this.markFinished();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Same as `return()`, then rethrows. */
  throw(err?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(err);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ value: undefined, done: true });
      this.markFinished();
    }
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}
