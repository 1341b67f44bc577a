import { Redis } from 'ioredis';
import type { Logger } from '../logging/logger';

/**
 * A revocation of access tokens before their expiry, kept until `expiresAtMs` (by then every token
 * it refuses has expired on its own):
 * - `session`: every token of the sign-in session `sessionId` (logout, revoked session, reuse);
 * - `user`: every token of `userId` whose generation (`gen` claim) is below `generation`
 *   (role change, disabled account, password reset).
 */
export type Revocation =
  | { kind: 'session'; sessionId: string; expiresAtMs: number }
  | { kind: 'user'; userId: string; generation: number; expiresAtMs: number };

/** Receives revocations: those in force when following starts, then each new one as it happens. */
export type RevocationListener = (revocation: Revocation) => void;

/**
 * Where revocations are recorded and announced: users writes, every router replica follows.
 * Redis in production (shared by every process), in-process in the embedded default.
 */
export interface RevocationStore {
  /** Records the revocations and announces them to every follower; resolves once recorded. */
  revoke(revocations: readonly Revocation[]): Promise<void>;
  /**
   * Hands `listener` every revocation in force, then every new one. Resolves once the ones in
   * force were handed over (or could not be read: then they are handed over once Redis is back).
   */
  follow(listener: RevocationListener): Promise<void>;
  close(): Promise<void>;
}

/** Settings of {@link openRevocationStore}. */
export interface RevocationStoreOptions {
  /** Redis shared by every process; unset (the embedded default) keeps revocations in this process. */
  redisUrl?: string;
  /** The deployment's key prefix (REDIS_PREFIX): key and channel `<prefix>:revocations`. */
  redisPrefix: string;
  log?: Logger;
}

/** The revocation store of this deployment: Redis when `redisUrl` is set, else the process's own. */
export function openRevocationStore(options: RevocationStoreOptions): RevocationStore {
  if (!options.redisUrl) return new InProcessRevocationStore();
  return new RedisRevocationStore(options.redisUrl, options.redisPrefix, options.log);
}

/** Wire form: `s:<sessionId>` or `u:<userId>:<generation>` (a sorted-set member; the score is the expiry). */
function encode(r: Revocation): string {
  return r.kind === 'session' ? `s:${r.sessionId}` : `u:${r.userId}:${r.generation}`;
}

function decode(member: string, expiresAtMs: number): Revocation | null {
  if (!Number.isFinite(expiresAtMs)) return null;
  if (member.startsWith('s:') && member.length > 2) return { kind: 'session', sessionId: member.slice(2), expiresAtMs };
  const match = /^u:([^:]+):(\d+)$/.exec(member);
  return match ? { kind: 'user', userId: match[1]!, generation: Number(match[2]), expiresAtMs } : null;
}

/** Every store of this process shares these (users and the embedded router run in one process). */
const processEntries = new Map<string, number>();
const processListeners = new Set<RevocationListener>();

/**
 * The embedded default: revocations live in this process and reach its followers synchronously,
 * so a logout answered by users is in force at the router before the client sees the answer.
 */
export class InProcessRevocationStore implements RevocationStore {
  private readonly mine = new Set<RevocationListener>();

  async revoke(revocations: readonly Revocation[]): Promise<void> {
    const now = Date.now();
    for (const [member, expiresAtMs] of processEntries) if (expiresAtMs <= now) processEntries.delete(member);
    for (const r of revocations) {
      processEntries.set(encode(r), Math.max(r.expiresAtMs, processEntries.get(encode(r)) ?? 0));
      for (const listener of processListeners) listener(r);
    }
  }

  async follow(listener: RevocationListener): Promise<void> {
    const now = Date.now();
    for (const [member, expiresAtMs] of processEntries) {
      const r = expiresAtMs > now ? decode(member, expiresAtMs) : null;
      if (r) listener(r);
    }
    processListeners.add(listener);
    this.mine.add(listener);
  }

  async close(): Promise<void> {
    for (const listener of this.mine) processListeners.delete(listener);
    this.mine.clear();
  }
}

/**
 * Revocations in Redis: a sorted set `<prefix>:revocations` (member: the revocation, score: its
 * expiry in ms; expired members are pruned on every write and the key expires with its last
 * member), announced on the channel of the same name. A follower subscribes first and then reads
 * the set, so nothing revoked in between is missed; after a lost connection it reads the set again
 * (announcements sent meanwhile are lost, the set is not).
 */
export class RedisRevocationStore implements RevocationStore {
  private readonly key: string;
  private readonly commands: Redis;
  private subscriber?: Redis;

  constructor(
    private readonly redisUrl: string,
    prefix: string,
    private readonly log?: Logger,
  ) {
    this.key = `${prefix}:revocations`;
    this.commands = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    this.commands.on('error', (err) => this.log?.warn({ err }, 'redis revocations error'));
  }

  async revoke(revocations: readonly Revocation[]): Promise<void> {
    if (!revocations.length) return;
    const latest = Math.max(...revocations.map((r) => r.expiresAtMs));
    const multi = this.commands.multi().zremrangebyscore(this.key, '-inf', Date.now());
    for (const r of revocations) multi.zadd(this.key, 'GT', r.expiresAtMs, encode(r));
    multi.pexpireat(this.key, latest, 'GT').pexpireat(this.key, latest, 'NX');
    for (const r of revocations) multi.publish(this.key, `${r.expiresAtMs} ${encode(r)}`);
    const results = await multi.exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('the revocation transaction was discarded');
  }

  async follow(listener: RevocationListener): Promise<void> {
    const subscriber = (this.subscriber ??= new Redis(this.redisUrl, { connectionName: `${this.key}:follower` }));
    subscriber.on('error', (err) => this.log?.warn({ err }, 'redis revocations (subscribe) error'));
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.key) return;
      const space = message.indexOf(' ');
      const r = decode(message.slice(space + 1), Number(message.slice(0, space)));
      if (r) listener(r);
    });
    let subscribedOnce = false;
    // ioredis subscribes again by itself after a reconnect; what was announced meanwhile is in the set.
    subscriber.on('ready', () => {
      if (subscribedOnce) void this.load(listener);
    });
    await subscriber.subscribe(this.key);
    subscribedOnce = true;
    await this.load(listener);
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
    await this.commands.quit().catch(() => this.commands.disconnect());
  }

  /** Hands over every revocation in force; a failure is logged (the next reconnect reads again). */
  private async load(listener: RevocationListener): Promise<void> {
    try {
      const flat = await this.commands.zrangebyscore(this.key, Date.now(), '+inf', 'WITHSCORES');
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const r = decode(flat[i]!, Number(flat[i + 1]));
        if (r) listener(r);
      }
    } catch (err) {
      this.log?.error({ err }, 'could not read the revocations in force');
    }
  }
}
