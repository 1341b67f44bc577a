import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger';
import { createPubSub, InProcessPubSub, RedisPubSub, type LivePubSub, type PubSubOptions } from '../../src/pubsub';
import { deleteKeys, SHARED_REDIS_URL } from '../events/support/redis.fixture';
import { waitFor } from '../events/support/wait';

const log = createLogger('pubsub-test', 'silent');
const REDIS_PREFIX = `test-pubsub-${randomUUID()}`;
const SERVICE = 'contract';
const opened: LivePubSub[] = [];
const raw = new Redis(SHARED_REDIS_URL, { protocol: 2 });

/** The Redis channel of a topic (the scheme both subgraphs' channels keep). */
const channelOf = (topic: string) => `${REDIS_PREFIX}:${SERVICE}:${topic}`;

/** How many connections are subscribed to the channel of `topic`. */
async function channelSubscribers(topic: string): Promise<number> {
  const [, count] = (await raw.pubsub('NUMSUB', channelOf(topic))) as [string, number];
  return Number(count);
}

/** A publishing and a subscribing instance: one and the same in-process, two replicas over Redis. */
interface Pair {
  publisher: LivePubSub;
  subscriber: LivePubSub;
  /** Resolves once a plain `subscribe` of `topic` on `subscriber` receives what is published. */
  live(topic: string): Promise<void>;
}

function track<T extends LivePubSub>(pubsub: T): T {
  opened.push(pubsub);
  return pubsub;
}

/** Takes the next `n` values of an iterator; fails after 5 s without one (a missed payload). */
async function take<T>(it: AsyncIterator<T>, n: number): Promise<T[]> {
  const values: T[] = [];
  for (let i = 0; i < n; i++) {
    let timer: NodeJS.Timeout | undefined;
    const missed = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`payload ${i + 1} of ${n} not delivered`)), 5_000)),
    );
    values.push((await Promise.race([it.next(), missed]).finally(() => clearTimeout(timer))).value as T);
  }
  return values;
}

afterAll(async () => {
  await Promise.all(opened.map((p) => p.close()));
  await waitFor(
    'no channel left subscribed',
    async () => ((await raw.pubsub('CHANNELS', `${REDIS_PREFIX}:*`)) as string[]).length === 0,
  );
  await deleteKeys(SHARED_REDIS_URL, REDIS_PREFIX);
  raw.disconnect();
});

describe.each([
  [
    'in-process',
    (options: PubSubOptions = {}): Pair => {
      const pubsub = track(new InProcessPubSub({ log, ...options }));
      return { publisher: pubsub, subscriber: pubsub, live: async () => undefined };
    },
  ],
  [
    'Redis (two replicas)',
    (options: PubSubOptions = {}): Pair => {
      const make = () =>
        track(
          new RedisPubSub({ redisUrl: SHARED_REDIS_URL, redisPrefix: REDIS_PREFIX, service: SERVICE, log, ...options }),
        );
      return {
        publisher: make(),
        subscriber: make(),
        live: (topic) => waitFor(`${topic} subscribed`, async () => (await channelSubscribers(topic)) > 0),
      };
    },
  ],
] as const)('%s pub/sub', (_name, makePair) => {
  it('delivers matching payloads in order across instances and ends a waiting next() at return()', async () => {
    const { publisher, subscriber } = makePair();
    const feed = await subscriber.subscribeWhere<{ n: number }>('even', (p) => p.n % 2 === 0);
    for (const n of [1, 2, 3, 4]) publisher.publish('even', { n });
    expect(await take(feed, 2)).toEqual([{ n: 2 }, { n: 4 }]);
    const pending = feed.next();
    await feed.return!();
    expect(await pending).toEqual({ value: undefined, done: true });
  });

  it('delivers the JSON round trip of a payload and counts local subscribers', async () => {
    const { publisher, subscriber, live } = makePair();
    const feed = subscriber.subscribe('plain');
    expect(subscriber.subscriberCount('plain')).toBe(1);
    await live('plain');
    publisher.publish('plain', { n: 1, at: new Date('2025-01-01T00:00:00Z'), gone: undefined });
    publisher.publish('plain');
    expect(await take(feed, 2)).toEqual([{ n: 1, at: '2025-01-01T00:00:00.000Z' }, null]);
    await feed.return!();
    expect(subscriber.subscriberCount('plain')).toBe(0);
  });

  it('gives a new subscriber the retained current value first, through its filter, then every change', async () => {
    const { publisher, subscriber } = makePair();
    let current: unknown = { v: 1, at: new Date('2025-01-01T00:00:00Z') };
    subscriber.retain('retained', async () => current);
    const all = await subscriber.subscribeWhere<{ v: number }>('retained', () => true);
    expect(await take(all, 1)).toEqual([{ v: 1, at: '2025-01-01T00:00:00.000Z' }]);
    const skipsOne = await subscriber.subscribeWhere<{ v: number }>('retained', (p) => p.v !== 1);
    current = undefined; // nothing current yet: the provider is skipped
    const none = await subscriber.subscribeWhere<{ v: number }>('retained', () => true);
    subscriber.retain('retained', () => Promise.reject(new Error('read failed')));
    const failed = await subscriber.subscribeWhere<{ v: number }>('retained', () => true);
    publisher.publish('retained', { v: 2 });
    for (const feed of [all, skipsOne, none, failed]) expect(await take(feed, 1)).toEqual([{ v: 2 }]);
    for (const feed of [all, skipsOne, none, failed]) await feed.return!();
  });

  it('drops a payload whose filter throws and keeps the subscription', async () => {
    const { publisher, subscriber } = makePair();
    const feed = await subscriber.subscribeWhere<{ n: number }>('throwing', (p) => {
      if (p.n === 1) throw new Error('bad filter');
      return true;
    });
    publisher.publish('throwing', { n: 1 });
    publisher.publish('throwing', { n: 2 });
    expect(await take(feed, 1)).toEqual([{ n: 2 }]);
    await feed.return!();
  });

  it('keeps at most maxQueue undelivered payloads per subscriber, dropping the oldest', async () => {
    const { publisher, subscriber } = makePair({ maxQueue: 3 });
    const bounded = await subscriber.subscribeWhere('bounded', () => true);
    const marker = await subscriber.subscribeWhere('marker', () => true);
    for (const n of [1, 2, 3, 4, 5]) publisher.publish('bounded', n);
    publisher.publish('marker', 'after');
    // Payloads arrive in publishing order: once the marker is here, all five were queued.
    expect(await take(marker, 1)).toEqual(['after']);
    expect(await take(bounded, 3)).toEqual([3, 4, 5]);
    await bounded.return!();
    await marker.return!();
  });

  it('ends every subscription at close()', async () => {
    const { subscriber } = makePair();
    const plain = subscriber.subscribe('closing');
    const filtered = await subscriber.subscribeWhere('closing', () => true);
    const pending = [plain.next(), filtered.next()];
    await subscriber.close();
    expect(await Promise.all(pending)).toEqual([
      { value: undefined, done: true },
      { value: undefined, done: true },
    ]);
    expect(subscriber.subscriberCount('closing')).toBe(0);
  });
});

describe('Redis pub/sub channels', () => {
  const make = () =>
    track(new RedisPubSub({ redisUrl: SHARED_REDIS_URL, redisPrefix: REDIS_PREFIX, service: SERVICE, log }));

  it('subscribes <redisPrefix>:<service>:<topic> once per process, only while a local subscriber exists', async () => {
    const pubsub = make();
    const first = await pubsub.subscribeWhere('shared', () => true);
    expect(await channelSubscribers('shared')).toBe(1); // live as soon as subscribeWhere resolved
    const second = pubsub.subscribe('shared');
    expect(pubsub.subscriberCount('shared')).toBe(2);
    await first.return!();
    expect(await channelSubscribers('shared')).toBe(1);
    await second.return!();
    await waitFor('channel unsubscribed', async () => (await channelSubscribers('shared')) === 0);
  });

  it('resolves a subscribeWhere that joins a SUBSCRIBE in flight only once that is acknowledged', async () => {
    const publisher = make();
    const subscriber = make();
    const first = subscriber.subscribeWhere('joined', () => true);
    const second = await subscriber.subscribeWhere('joined', () => true);
    publisher.publish('joined', 'hello');
    expect(await take(second, 1)).toEqual(['hello']);
    expect(await take(await first, 1)).toEqual(['hello']);
    await second.return!();
    await (
      await first
    ).return!();
  });

  it('createPubSub picks Redis when a URL is given, else in-process', async () => {
    const local = track(createPubSub({ service: SERVICE, redisPrefix: REDIS_PREFIX }));
    expect(local).toBeInstanceOf(InProcessPubSub);
    expect(local).not.toBeInstanceOf(RedisPubSub);
    const shared = track(
      createPubSub({ service: SERVICE, redisUrl: SHARED_REDIS_URL, redisPrefix: REDIS_PREFIX, log }),
    );
    expect(shared).toBeInstanceOf(RedisPubSub);
    await shared.subscribeWhere('made', () => true);
    expect(await channelSubscribers('made')).toBe(1);
  });
});
