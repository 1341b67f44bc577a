import { describe, expect, it } from 'vitest';
import { TopicIterator } from '../../src/pubsub';

describe('TopicIterator', () => {
  it('hands out pushed values in order, to a waiting next() first', async () => {
    const it = new TopicIterator<number>(() => undefined);
    const waiting = it.next();
    it.push(1);
    it.push(2);
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(await it.next()).toEqual({ value: 2, done: false });
  });

  it('keeps at most maxQueue undelivered values, dropping the oldest', async () => {
    const it = new TopicIterator<number>(() => undefined, 3);
    for (const n of [1, 2, 3, 4, 5]) it.push(n);
    const values = [];
    for (let i = 0; i < 3; i++) values.push((await it.next()).value);
    expect(values).toEqual([3, 4, 5]);
  });

  it('return() ends a waiting next(), drops the queue, ignores later pushes and closes exactly once', async () => {
    let closes = 0;
    const it = new TopicIterator<number>(() => closes++);
    const waiting = it.next();
    await it.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    it.push(1);
    expect(await it.next()).toEqual({ value: undefined, done: true });
    await it.return();
    await expect(it.throw(new Error('gone'))).rejects.toThrow('gone');
    expect(closes).toBe(1);
  });
});
