import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '@supergraph/kit';
import { createMemoryPubSub, createRedisPubSub, type NotificationsPubSub } from '../../src/pubsub/pubsub';

const log = createLogger('notifications-test', 'silent');
const prefix = `test-pubsub-${process.pid}-${Date.now().toString(36)}`;
const opened: NotificationsPubSub[] = [];

afterAll(async () => {
  await Promise.all(opened.map((p) => p.close()));
});

describe.each([
  ['in-process', () => createMemoryPubSub()],
  ['Redis (two replicas)', () => createRedisPubSub('redis://127.0.0.1:6379', prefix, log)],
] as const)('%s pubsub', (_name, make) => {
  it('delivers matching payloads across instances and stops at return()', async () => {
    const a = make();
    const b = _name.startsWith('Redis') ? make() : a;
    opened.push(a, ...(b === a ? [] : [b]));
    const feed = await a.subscribeWhere<{ n: number }>('topic', (p) => p.n % 2 === 0);
    for (const n of [1, 2, 3, 4]) b.publish('topic', { n });
    expect((await feed.next()).value).toEqual({ n: 2 });
    expect((await feed.next()).value).toEqual({ n: 4 });
    const pending = feed.next();
    await feed.return!();
    expect(await pending).toEqual({ value: undefined, done: true });
  });
});
