import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/start-production';
import { PrivateRedis } from '../support/redis-server';
import { PASSWORD, SIGN_UP, eventually, metric, post, startTopology, type Topology } from './support';

describe('production topology: Redis stops and comes back', () => {
  let redis: PrivateRedis;
  let topology: Topology;
  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    topology = await startTopology(redis.url);
  });
  afterAll(async () => {
    await topology?.stop();
    await redis?.stop();
  });

  it('keeps serving queries and mutations; events wait in the outbox and all arrive once afterwards', async () => {
    const users = topology.service('users');
    await redis.stop();

    const stamp = Date.now().toString(36);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await post<{ signUp: { accessToken: string; user: { id: string } } }>(topology.routerUrl, SIGN_UP, {
        input: { email: `outage${i}.${stamp}@example.com`, password: PASSWORD, displayName: `Outage ${i}` },
      });
      expect(r.errors).toBeUndefined();
      ids.push(r.data!.signUp.user.id);
      const me = await post(topology.routerUrl, '{ me { id } }', {}, r.data!.signUp.accessToken);
      expect(me.data).toEqual({ me: { id: r.data!.signUp.user.id } });
    }
    // Committed with the accounts, not yet published: the relay keeps them.
    await eventually(async () => (await metric(users.url, 'outbox_backlog')) >= 5, 10_000, 'outbox backlog');

    await redis.start();
    await eventually(async () => (await metric(users.url, 'outbox_backlog')) === 0, 30_000, 'outbox drained');

    const client = new Redis(redis.url);
    try {
      const entries = await client.xrange(`${topology.prefix}:events`, '-', '+');
      const registered = entries
        .map(([, fields]) => JSON.parse(fields[fields.indexOf('envelope') + 1]!) as { type: string; payload: { userId: string } })
        .filter((e) => e.type === 'user.registered' && ids.includes(e.payload.userId));
      expect(registered.map((e) => e.payload.userId).sort()).toEqual([...ids].sort());
    } finally {
      client.disconnect();
    }
  });
});
