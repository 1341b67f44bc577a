import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  InProcessRevocationStore,
  RedisRevocationStore,
  type Revocation,
  type RevocationStore,
} from '../../src/auth/revocation.store';
import { deleteKeys, SHARED_REDIS_URL } from '../events/support/redis.fixture';
import { waitFor } from '../events/support/wait';

const PREFIX = `test-revocations-${randomUUID()}`;
const KEY = `${PREFIX}:revocations`;
const raw = new Redis(SHARED_REDIS_URL, { protocol: 2 });
const opened: RevocationStore[] = [];

function redisStore(): RedisRevocationStore {
  const store = new RedisRevocationStore(SHARED_REDIS_URL, PREFIX);
  opened.push(store);
  return store;
}

/** A follower that collects what it is handed. */
async function follower(store: RevocationStore): Promise<Revocation[]> {
  const seen: Revocation[] = [];
  await store.follow((r) => seen.push(r));
  return seen;
}

const inMinutes = (m: number) => Date.now() + m * 60_000;

afterAll(async () => {
  for (const store of opened) await store.close();
  await deleteKeys(SHARED_REDIS_URL, PREFIX);
  raw.disconnect();
});

describe('Redis revocation store (users writes, every router replica follows)', () => {
  const writer = redisStore();

  it('hands a follower that starts later the revocations in force, not the expired ones', async () => {
    const live: Revocation = { kind: 'session', sessionId: randomUUID(), expiresAtMs: inMinutes(15) };
    const user: Revocation = { kind: 'user', userId: randomUUID(), generation: 3, expiresAtMs: inMinutes(15) };
    await writer.revoke([live, user]);
    await raw.zadd(KEY, Date.now() - 1_000, `s:${randomUUID()}`); // expired, not yet pruned
    const seen = await follower(redisStore());
    expect(seen).toEqual(expect.arrayContaining([live, user]));
    expect(seen.every((r) => r.expiresAtMs > Date.now())).toBe(true);
  });

  it('announces new revocations to every follower, each in its own connection', async () => {
    const a = await follower(redisStore());
    const b = await follower(redisStore());
    const r: Revocation = { kind: 'session', sessionId: randomUUID(), expiresAtMs: inMinutes(15) };
    await writer.revoke([r]);
    const got = (seen: Revocation[]) => seen.filter((x) => x.kind === 'session' && x.sessionId === r.sessionId);
    await waitFor('both followers', () => got(a).length > 0 && got(b).length > 0);
    expect([got(a), got(b)]).toEqual([[r], [r]]);
  });

  it('prunes expired members on every write, and the key expires with its last member', async () => {
    const stale = `s:${randomUUID()}`;
    await raw.zadd(KEY, Date.now() - 1_000, stale);
    const last = inMinutes(20);
    await writer.revoke([{ kind: 'session', sessionId: randomUUID(), expiresAtMs: last }]);
    expect(await raw.zscore(KEY, stale)).toBeNull();
    const expiresAt = await raw.pexpiretime(KEY);
    expect(expiresAt).toBe(last);
  });

  it('reads the set again after its subscription connection was lost (announcements meanwhile are gone)', async () => {
    const seen = await follower(redisStore());
    // Recorded without an announcement, as if announced while the follower was disconnected.
    const missed = randomUUID();
    await raw.zadd(KEY, inMinutes(15), `s:${missed}`);
    const clients = (await raw.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
    const ids = clients
      .split('\n')
      .filter((line) => line.includes(`name=${KEY}:follower`))
      .map((line) => /id=(\d+)/.exec(line)![1]!);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) await raw.client('KILL', 'ID', id);
    const reloaded = () => seen.some((r) => r.kind === 'session' && r.sessionId === missed);
    await waitFor('the reload after reconnecting', reloaded);
  });

  it('rejects a write it cannot record (users logs it as an error)', async () => {
    const down = new RedisRevocationStore('redis://127.0.0.1:1', PREFIX);
    const write = down.revoke([{ kind: 'session', sessionId: randomUUID(), expiresAtMs: inMinutes(15) }]);
    await expect(write).rejects.toThrow();
    await down.close();
  });
});

describe('in-process revocation store (embedded default)', () => {
  it('shares revocations between the stores of one process, at once and with later followers', async () => {
    const users = new InProcessRevocationStore();
    const router = new InProcessRevocationStore();
    const seen = await follower(router);
    const r: Revocation = { kind: 'user', userId: randomUUID(), generation: 1, expiresAtMs: inMinutes(15) };
    await users.revoke([r]);
    expect(seen).toContainEqual(r); // synchronously: in force before users answers
    const late = new InProcessRevocationStore();
    expect(await follower(late)).toContainEqual(r);
    await router.close();
    const after: Revocation = { kind: 'session', sessionId: randomUUID(), expiresAtMs: inMinutes(15) };
    await users.revoke([after]);
    expect(seen).not.toContainEqual(after);
    await late.close();
  });
});
