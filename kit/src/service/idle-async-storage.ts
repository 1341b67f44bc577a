import { AsyncLocalStorage } from 'node:async_hooks';

const RELEASING = Symbol.for('supergraph.kit.idleAsyncStorage');

type Storage = AsyncLocalStorage<unknown> & { [RELEASING]?: true };

/**
 * Makes every AsyncLocalStorage of this process disable itself (as `disable()` does) whenever none
 * of its `run()` calls is in progress; the next `run()` enables it again, as Node's own `run()`
 * does. Idempotent; called by `runSubgraph` before anything runs.
 *
 * Why: on Node 20 an AsyncLocalStorage that has been run once keeps a hook on every promise of the
 * process for good. MikroORM runs three of them (a transaction's context, "inside flush", raw
 * fragments), so after the first background transaction (the outbox relay's, every second) every
 * await of every request paid for them: with the request's own log scope (gone too), about a
 * sixth of a subgraph's CPU per one-statement query (bench/optimisations.md, entry 21). Released,
 * the hooks are on only while some transaction, flush or consumed event is in progress.
 *
 * What differs from Node's default: work that a `run()` callback started without awaiting it, and
 * that is still going once every run of that storage has ended, reads no store (`getStore()` is
 * undefined) where Node would give it the store of the run it started in. An instance that was
 * ever entered with `enterWith()` (which has no end to count) is never released.
 */
export function releaseIdleAsyncStorage(): void {
  const proto = AsyncLocalStorage.prototype as Storage & Record<PropertyKey, unknown>;
  if (proto[RELEASING]) return;
  proto[RELEASING] = true;
  const running = new WeakMap<object, number>();
  const sticky = new WeakSet<object>();
  const { run, enterWith } = AsyncLocalStorage.prototype;

  AsyncLocalStorage.prototype.enterWith = function (this: Storage, store: unknown) {
    sticky.add(this);
    return enterWith.call(this, store);
  };
  AsyncLocalStorage.prototype.run = function <R, A extends unknown[]>(
    this: Storage,
    store: unknown,
    callback: (...args: A) => R,
    ...args: A
  ): R {
    running.set(this, (running.get(this) ?? 0) + 1);
    const ended = () => {
      const left = running.get(this)! - 1;
      running.set(this, left);
      if (left === 0 && !sticky.has(this)) this.disable();
    };
    let result: R;
    try {
      result = run.call(this, store, callback, ...args) as R;
    } catch (err) {
      ended();
      throw err;
    }
    if (isThenable(result)) result.then(ended, ended);
    else ended();
    return result;
  } as typeof run;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}
