import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStreamsBus, type EventEnvelope } from '../../src/events';
import { CONTRACT_MAX_DELIVERIES, envelope, runBusContract } from './support/bus.contract';
import { deleteKeys, SHARED_REDIS_URL } from './support/redis.fixture';
import { RecordingLogger } from './support/test.logger';
import { waitFor } from './support/wait';

const RUN_PREFIX = `test:kit-events:${randomUUID()}`;

/** Fast timings so redelivery and re-claim happen within the test's seconds. */
function makeBus(prefix: string, logger = new RecordingLogger()): RedisStreamsBus {
  return new RedisStreamsBus({
    redis: SHARED_REDIS_URL,
    prefix,
    maxDeliveries: CONTRACT_MAX_DELIVERIES,
    claimIdleMs: 150,
    claimIntervalMs: 50,
    blockMs: 50,
    logger,
  });
}

runBusContract('RedisStreamsBus', async () => {
  const prefix = `${RUN_PREFIX}:contract`;
  return { bus: makeBus(prefix), teardown: () => deleteKeys(SHARED_REDIS_URL, prefix) };
});

describe('RedisStreamsBus specifics', () => {
  const prefix = `${RUN_PREFIX}:specific`;
  let bus: RedisStreamsBus;
  let raw: Redis;

  beforeAll(() => {
    bus = makeBus(prefix);
    raw = new Redis(SHARED_REDIS_URL, { protocol: 2 });
  });
  afterAll(async () => {
    await bus.close();
    raw.disconnect();
    await deleteKeys(SHARED_REDIS_URL, prefix);
  });

  it('uses one stream under the configured prefix and acks what it handled', async () => {
    const group = 'ack-check';
    const got: string[] = [];
    const sub = await bus.subscribe(group, async (e) => void got.push(e.id));
    const e = envelope('plant.removed', { plantId: 'p1', ownerId: 'u1' });
    await bus.publish(e);
    await waitFor('delivery', () => got.length === 1);
    await waitFor('ack', async () => ((await raw.call('XPENDING', bus.keys.stream, group)) as [number])[0] === 0);
    expect(bus.keys).toEqual({ stream: `${prefix}:events`, dead: `${prefix}:events:dead` });
    const entries = (await raw.call('XRANGE', bus.keys.stream, '-', '+')) as [string, string[]][];
    expect(entries.some(([, f]) => f.includes(e.id))).toBe(true);
    await sub.close();
  });

  it('re-claims a message read by a consumer that crashed before acking (XAUTOCLAIM)', async () => {
    const group = 'reclaim';
    await raw.call('XGROUP', 'CREATE', bus.keys.stream, group, '$', 'MKSTREAM');
    const e = envelope('plant.added', { plantId: 'p9', ownerId: 'u1', speciesId: 's1' });
    await bus.publish(e);
    // The "crashed" consumer reads the message and never acknowledges it.
    const stolen = (await raw.call(
      'XREADGROUP',
      'GROUP',
      group,
      'crashed',
      'COUNT',
      10,
      'STREAMS',
      bus.keys.stream,
      '>',
    )) as [string, [string, string[]][]][];
    expect(stolen[0][1]).toHaveLength(1);
    const got: EventEnvelope[] = [];
    const sub = await bus.subscribe(group, async (env) => void got.push(env), { consumerName: 'survivor' });
    await waitFor('re-claimed delivery', () => got.length === 1);
    expect(got[0].id).toBe(e.id);
    await waitFor('ack', async () => ((await raw.call('XPENDING', bus.keys.stream, group)) as [number])[0] === 0);
    await sub.close();
  });

  it('dead-letters a malformed message at once, keeping its raw text', async () => {
    const group = 'malformed';
    const got: string[] = [];
    const sub = await bus.subscribe(group, async (e) => void got.push(e.id));
    await raw.call(
      'XADD',
      bus.keys.stream,
      '*',
      'type',
      'plant.added',
      'envelope',
      '{"id":"x","type":"no.such.event"}',
    );
    const good = envelope('plant.added', { plantId: 'p2', ownerId: 'u1', speciesId: 's1' });
    await bus.publish(good);
    await waitFor('good event', () => got.length === 1);
    await waitFor('dead letter', async () => (await bus.deadLetters(group)).length === 1);
    const [letter] = await bus.deadLetters(group);
    expect(letter.envelope).toBeNull();
    expect(letter.raw).toBe('{"id":"x","type":"no.such.event"}');
    expect(letter.error).toContain('unknown event type "no.such.event"');
    expect(letter.deliveries).toBe(1);
    expect(got).toEqual([good.id]);
    await sub.close();
  });

  it('rejects publish with a clear error when Redis is unreachable', async () => {
    const down = new RedisStreamsBus({
      redis: 'redis://127.0.0.1:1',
      prefix,
      connectWaitMs: 100,
      logger: new RecordingLogger(),
    });
    await expect(down.publish(envelope('plant.removed', { plantId: 'p', ownerId: 'u' }))).rejects.toThrow(
      /redis is unavailable/,
    );
    await down.close();
  });
});
