import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, openDatabase, type Database, type Revocation, type RevocationStore } from '@supergraph/kit';
import { RevocationRelay } from '../../src/auth/revocation.relay';
import { TokenRevoker } from '../../src/auth/token.revoker';
import { ENTITIES } from '../../src/entities';
import { PendingRevocation } from '../../src/entities/pending-revocation.entity';
import { MIGRATIONS } from '../../src/migrations';

const log = createLogger('users', 'silent');
const TTL_SECONDS = 900;
/** The Postgres server of the `postgres` backend (as `npm test` expects it), for a throw-away database. */
const POSTGRES_SERVER = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** A migrated users database on `backend`; closing drops the Postgres one. */
async function openUsersDatabase(backend: 'pglite' | 'postgres'): Promise<Database & { drop(): Promise<void> }> {
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/users_module_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const db = await openDatabase({
    service: 'users',
    dataDir: ':memory:',
    ...(backend === 'postgres' ? { databaseUrl: url.toString() } : {}),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    log,
  });
  return Object.assign(db, {
    async drop() {
      await db.close();
      if (backend === 'pglite') return;
      url.pathname = '/postgres';
      const admin = new Client({ connectionString: url.toString() });
      await admin.connect();
      const name = new URL(db.url).pathname.slice(1);
      await admin.query(`drop database if exists "${name}" with (force)`).finally(() => admin.end());
    },
  });
}

/** A revocation store that refuses every write while `down` (as Redis does when unreachable). */
class SwitchableStore implements RevocationStore {
  down = false;
  readonly received: Revocation[] = [];
  refused = 0;
  async revoke(revocations: readonly Revocation[]): Promise<void> {
    if (this.down) {
      this.refused++;
      throw new Error('store unreachable');
    }
    this.received.push(...revocations);
  }
  async follow(): Promise<void> {}
  async close(): Promise<void> {}
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(['pglite', 'postgres'] as const)('revocation outbox and relay (%s)', (backend) => {
  let db: Awaited<ReturnType<typeof openUsersDatabase>>;
  let store: SwitchableStore;
  let relay: RevocationRelay;
  const em = () => db.orm.em.fork() as EntityManager;
  const pending = () => em().count(PendingRevocation, {});
  const open = (awaitDelivery: boolean) => {
    store = new SwitchableStore();
    relay = new RevocationRelay(db.orm, store, log, { awaitDelivery, intervalMs: 50 });
    return new TokenRevoker(relay, TTL_SECONDS);
  };

  beforeAll(async () => {
    db = await openUsersDatabase(backend);
  });
  afterEach(async () => {
    await relay?.stop();
    await em().nativeDelete(PendingRevocation, {});
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('hands a committed revocation to the store before the transaction call returns (awaitDelivery)', async () => {
    const revoker = open(true);
    const sessionId = randomUUID();
    const userId = randomUUID();
    const before = Date.now();
    await revoker.transaction(em(), async (tx) => {
      revoker.sessions(tx, [sessionId]);
      revoker.userBelow(tx, userId, 3);
    });
    // Revocations commute (the store keeps each one's latest expiry): their order is not part of the contract.
    expect(store.received).toHaveLength(2);
    expect(store.received).toEqual(
      expect.arrayContaining([
        { kind: 'session', sessionId, expiresAtMs: expect.any(Number) },
        { kind: 'user', userId, generation: 3, expiresAtMs: expect.any(Number) },
      ]),
    );
    for (const r of store.received) {
      expect(r.expiresAtMs).toBeGreaterThanOrEqual(before + TTL_SECONDS * 1000);
      expect(r.expiresAtMs).toBeLessThanOrEqual(Date.now() + TTL_SECONDS * 1000 + 60_000);
    }
    expect(await pending()).toBe(0);
  });

  it('records nothing when the change rolls back', async () => {
    const revoker = open(true);
    const failing = revoker.transaction(em(), async (tx) => {
      revoker.sessions(tx, [randomUUID()]);
      await tx.flush();
      throw new Error('the change failed');
    });
    await expect(failing).rejects.toThrow('the change failed');
    await relay.committed(); // a whole round over the table
    expect(store.received).toEqual([]);
    expect(await pending()).toBe(0);
  });

  it('keeps a revocation the store refuses and retries until the store accepts it', async () => {
    const revoker = open(true);
    store.down = true;
    const sessionId = randomUUID();
    await revoker.transaction(em(), async (tx) => revoker.sessions(tx, [sessionId]));
    expect(store.received).toEqual([]);
    expect(await pending()).toBe(1);
    relay.start();
    await until(() => store.refused >= 3, 'rounds refused by the store');
    expect(await pending()).toBe(1);
    store.down = false;
    await until(() => store.received.length > 0, 'the revocation in the store');
    expect(store.received).toEqual([{ kind: 'session', sessionId, expiresAtMs: expect.any(Number) }]);
    await until(async () => (await pending()) === 0, 'the outbox row deleted');
  });

  it('without awaitDelivery answers at once and the revocation follows', async () => {
    const revoker = open(false);
    const userId = randomUUID();
    await revoker.transaction(em(), async (tx) => revoker.userBelow(tx, userId, 1));
    await until(() => store.received.length > 0, 'the revocation in the store');
    expect(store.received).toEqual([{ kind: 'user', userId, generation: 1, expiresAtMs: expect.any(Number) }]);
  });

  it('drops a revocation that expired while waiting (nothing left to refuse)', async () => {
    open(true);
    const expired = { kind: 'session' as const, subjectId: randomUUID(), expiresAt: new Date(Date.now() - 1) };
    const fork = em();
    fork.create(PendingRevocation, expired);
    await fork.flush();
    relay.start();
    await until(async () => (await pending()) === 0, 'the expired row deleted');
    expect(store.received).toEqual([]);
  });

  it('applies every revocation of concurrent transactions before each of them returns', async () => {
    const revoker = open(true);
    const ids = Array.from({ length: 8 }, () => randomUUID());
    await Promise.all(
      ids.map(async (id) => {
        await revoker.transaction(em(), async (tx) => revoker.sessions(tx, [id]));
        expect(store.received.map((r) => (r.kind === 'session' ? r.sessionId : ''))).toContain(id);
      }),
    );
    expect(await pending()).toBe(0);
  });
});
