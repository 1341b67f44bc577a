import type Redis from 'ioredis';
import { acceptsType, backoffDelay, type EventHandler } from './event.bus';
import { errorMessage, type EventLogger } from './event.logger';
import { parseEnvelope, type EventEnvelope, type EventType } from './event.types';

/** Settings shared by the Redis bus and its subscriptions. */
export interface StreamSettings {
  streamKey: string;
  deadKey: string;
  maxDeliveries: number;
  claimIdleMs: number;
  claimIntervalMs: number;
  blockMs: number;
  batchSize: number;
  maxLen: number;
  connectWaitMs: number;
  logger: EventLogger;
  types?: readonly EventType[];
  startFrom?: 'beginning' | 'end';
}

type StreamEntry = [id: string, fields: string[] | null];

/**
 * One member of a consumer group reading `<prefix>:events` on its own connection (XREADGROUP
 * BLOCK holds a connection). Internal to RedisStreamsBus; see its documentation for the
 * delivery semantics.
 */
export class RedisStreamSubscription {
  private closed = false;
  private reading = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private nextClaimAt = 0;
  /** Last handler error per message id, so a dead letter made at re-claim time can say why. */
  private readonly lastErrors = new Map<string, string>();

  constructor(
    private readonly conn: Redis,
    readonly group: string,
    readonly consumer: string,
    private readonly handler: EventHandler,
    private readonly s: StreamSettings,
  ) {}

  /** Creates the group if missing (at the stream's end, or its start for startFrom 'beginning') and starts the read loop. */
  async start(): Promise<void> {
    await this.ensureGroup(this.s.startFrom === 'beginning' ? '0' : '$');
    this.loop = this.run();
  }

  /** Stops reading; waits for the handler in progress and its XACK, then disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A blocked XREADGROUP holds no message yet: cutting the connection loses nothing.
    if (this.reading) this.conn.disconnect();
    this.wake?.();
    await this.loop;
    this.conn.disconnect();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      try {
        await whenReady(this.conn, this.s.connectWaitMs);
        if (Date.now() >= this.nextClaimAt) {
          await this.reclaim();
          this.nextClaimAt = Date.now() + this.s.claimIntervalMs;
        }
        if (this.closed) break;
        this.reading = true;
        const reply = (await this.conn.call(
          'XREADGROUP',
          'GROUP',
          this.group,
          this.consumer,
          'COUNT',
          this.s.batchSize,
          'BLOCK',
          this.s.blockMs,
          'STREAMS',
          this.s.streamKey,
          '>',
        )) as [string, StreamEntry[]][] | null;
        this.reading = false;
        for (const [id, fields] of reply?.[0]?.[1] ?? []) {
          if (this.closed) break;
          await this.process(id, fields, 1);
        }
        failures = 0;
      } catch (err) {
        this.reading = false;
        if (this.closed) break;
        const message = errorMessage(err);
        if (message.includes('NOGROUP')) {
          // The server lost the stream/group (e.g. restarted without persistence): everything
          // now in the stream was published after the loss, so read it from the start.
          this.s.logger.warn({ group: this.group, stream: this.s.streamKey }, 'consumer group missing: recreating it');
          await this.ensureGroup('0').catch(() => undefined);
          continue;
        }
        failures++;
        this.s.logger.warn(
          { group: this.group, consumer: this.consumer, err: message },
          'event stream read failed: retrying',
        );
        await this.sleep(backoffDelay(failures, 50, 2_000));
      }
    }
  }

  /** Takes over messages idle longer than claimIdleMs (failed here, or left by a dead consumer). */
  private async reclaim(): Promise<void> {
    let cursor = '0-0';
    do {
      const reply = (await this.conn.call(
        'XAUTOCLAIM',
        this.s.streamKey,
        this.group,
        this.consumer,
        this.s.claimIdleMs,
        cursor,
        'COUNT',
        this.s.batchSize,
      )) as [string, StreamEntry[], string[]?];
      cursor = reply[0];
      // Entries trimmed from the stream while pending can never be delivered: drop them.
      const gone = reply[2] ?? [];
      if (gone.length > 0) await this.conn.call('XACK', this.s.streamKey, this.group, ...gone);
      for (const [id, fields] of reply[1]) {
        if (this.closed) return;
        if (fields === null) {
          await this.conn.call('XACK', this.s.streamKey, this.group, id);
          continue;
        }
        await this.process(id, fields, await this.deliveryCount(id));
      }
    } while (cursor !== '0-0' && !this.closed);
  }

  /** Times `id` has been delivered to this group (XPENDING), 1 if unknown. */
  private async deliveryCount(id: string): Promise<number> {
    const rows = (await this.conn.call('XPENDING', this.s.streamKey, this.group, id, id, 1)) as [
      string,
      string,
      number,
      number,
    ][];
    return rows[0] ? Number(rows[0][3]) : 1;
  }

  private async process(id: string, fields: string[] | null, deliveries: number): Promise<void> {
    const raw = fieldsOf(fields).envelope ?? '';
    let envelope: EventEnvelope;
    try {
      envelope = parseEnvelope(raw);
    } catch (err) {
      await this.deadLetter(id, null, raw, deliveries, errorMessage(err));
      return;
    }
    if (!acceptsType(this.s.types, envelope.type)) {
      await this.conn.call('XACK', this.s.streamKey, this.group, id);
      return;
    }
    if (deliveries > this.s.maxDeliveries) {
      // Delivered maxDeliveries times already without an ack (a handler that crashed the process?).
      const last = this.lastErrors.get(id) ?? 'no acknowledgement (consumer crashed or timed out)';
      await this.deadLetter(id, envelope, raw, deliveries - 1, last);
      return;
    }
    try {
      await this.handler(envelope);
    } catch (err) {
      const error = errorMessage(err);
      if (deliveries >= this.s.maxDeliveries) {
        await this.deadLetter(id, envelope, raw, deliveries, error);
        return;
      }
      this.lastErrors.set(id, error);
      this.s.logger.warn(
        {
          group: this.group,
          eventId: envelope.id,
          type: envelope.type,
          deliveries,
          retryAfterMs: this.s.claimIdleMs,
          err: error,
        },
        'event handler failed: will be redelivered',
      );
      return;
    }
    this.lastErrors.delete(id);
    await this.conn.call('XACK', this.s.streamKey, this.group, id);
  }

  private async deadLetter(
    id: string,
    envelope: EventEnvelope | null,
    raw: string,
    deliveries: number,
    error: string,
  ): Promise<void> {
    this.lastErrors.delete(id);
    const deadAt = new Date().toISOString();
    await this.conn
      .multi()
      .call(
        'XADD',
        this.s.deadKey,
        'MAXLEN',
        '~',
        String(this.s.maxLen),
        '*',
        'group',
        this.group,
        'eventId',
        envelope?.id ?? '',
        'type',
        envelope?.type ?? '',
        'streamId',
        id,
        'deliveries',
        String(deliveries),
        'error',
        error,
        'envelope',
        raw,
        'deadAt',
        deadAt,
      )
      .call('XACK', this.s.streamKey, this.group, id)
      .exec();
    this.s.logger.error(
      { group: this.group, streamId: id, eventId: envelope?.id, type: envelope?.type, deliveries, err: error },
      'event moved to dead letters',
    );
  }

  private async ensureGroup(startId: '$' | '0'): Promise<void> {
    try {
      await this.conn.call('XGROUP', 'CREATE', this.s.streamKey, this.group, startId, 'MKSTREAM');
    } catch (err) {
      if (!errorMessage(err).includes('BUSYGROUP')) throw err;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** Resolves once `conn` is ready; rejects after `waitMs` if it does not get there. */
export async function whenReady(conn: Redis, waitMs: number): Promise<void> {
  if (conn.status === 'ready') return;
  if (conn.status === 'end') throw new Error('redis connection is closed');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      conn.off('ready', onReady);
      reject(new Error(`redis is unavailable (connection ${conn.status} for ${waitMs} ms)`));
    }, waitMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    conn.once('ready', onReady);
  });
}

/** Turns a flat `[field, value, …]` stream entry into an object. */
export function fieldsOf(flat: string[] | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!flat) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}
