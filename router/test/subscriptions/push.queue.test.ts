import { describe, it, expect } from 'vitest';
import { PushQueue, type QueueBudget } from '../../src/subscriptions/push.queue';

const budget = (max: number): QueueBudget & { overflows: number } => {
  const b = {
    queued: 0,
    max,
    overflows: 0,
    onOverflow: () => {
      b.overflows++;
    },
  };
  return b;
};
const later = <T>(value: T, ms: number) => new Promise<T>((r) => setTimeout(() => r(value), ms));

describe('PushQueue', () => {
  it('delivers in push order even when later items resolve first', async () => {
    const q = new PushQueue<number>(budget(10), () => {});
    q.push(later(1, 30));
    q.push(Promise.resolve(2));
    q.push(later(3, 5));
    q.end();
    const got: number[] = [];
    for await (const v of q) got.push(v);
    expect(got).toEqual([1, 2, 3]);
  });

  it('counts undelivered items per client and reports going over the bound, not final items', async () => {
    const b = budget(2);
    const a = new PushQueue<number>(b, () => {});
    const c = new PushQueue<number>(b, () => {});
    a.push(Promise.resolve(1));
    c.push(Promise.resolve(2));
    expect(b.overflows).toBe(0);
    c.push(Promise.resolve(3), true);
    expect(b.overflows).toBe(0);
    a.push(Promise.resolve(4));
    expect([b.queued, b.overflows]).toEqual([4, 1]);
    await a.next();
    expect(b.queued).toBe(3);
    await c.return();
    expect(b.queued).toBe(1);
  });

  it('return() ends a pending next() at once and closes exactly once', async () => {
    let closes = 0;
    const q = new PushQueue<number>(budget(10), () => {
      closes++;
    });
    const pending = q.next();
    await q.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    await q.return();
    q.push(Promise.resolve(1));
    expect(await q.next()).toEqual({ value: undefined, done: true });
    expect(closes).toBe(1);
    await q.finished;
  });
});
