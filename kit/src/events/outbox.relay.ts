import { LockMode, type MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventBus } from './event.bus';
import { defaultEventLogger, errorMessage, type EventLogger } from './event.logger';
import { toEnvelope } from './outbox';
import { OutboxEvent } from './outbox.entity';

/** Settings of an outbox relay. */
export interface OutboxRelayOptions {
  /** Poll period when nobody calls kick() (default 1000 ms). */
  intervalMs?: number;
  /** Rows claimed per transaction (default 100). */
  batchSize?: number;
  logger?: EventLogger;
}

/** Result of one relay round. */
export interface RelayRound {
  published: number;
  /** True when a publish failed and the rest of the batch was left for a later round. */
  failed: boolean;
}

/**
 * Moves committed outbox rows onto the bus. Each round runs in its own transaction on a
 * forked EntityManager: it claims up to `batchSize` unpublished rows with
 * `SELECT … FOR UPDATE SKIP LOCKED` (so relays on several replicas never take the same row),
 * publishes them in `occurred_at` order and sets `published_at`. When a publish fails (bus
 * down) the row gets `attempts + 1` and `last_error`, the rest of the batch is left untouched
 * to keep the order, and the next round tries again: nothing is lost. A crash after publishing
 * but before the commit republishes the rows later, which consumers absorb (at-least-once).
 */
export class OutboxRelay {
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly logger: EventLogger;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    options: OutboxRelayOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1_000;
    this.batchSize = options.batchSize ?? 100;
    this.logger = options.logger ?? defaultEventLogger();
  }

  /** Starts relaying: one round at once, then every `intervalMs` and on each kick(). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.kick();
  }

  /**
   * Asks for a round as soon as possible (call it right after committing a transaction that
   * emitted events). Kicks during a round coalesce into one more round.
   */
  kick(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.drain().finally(() => {
      this.running = null;
      if (!this.started) return;
      if (this.again) {
        this.again = false;
        this.kick();
      } else {
        this.timer = setTimeout(() => this.kick(), this.intervalMs);
      }
    });
  }

  /** Stops the relay; resolves after the batch in hand has been published and committed. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Number of rows not yet published (for metrics). */
  async backlog(): Promise<number> {
    const em = this.orm.em.fork({ disableContextResolution: true }) as EntityManager;
    const rows = await em.execute<{ n: string }[]>(
      'select count(*) as n from "outbox_event" where "published_at" is null',
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Runs one round (claim, publish, mark) and reports what it did. */
  async runOnce(): Promise<RelayRound> {
    const em = this.orm.em.fork({ disableContextResolution: true }) as EntityManager;
    return em.transactional(async (tx) => {
      const rows = await tx.find(
        OutboxEvent,
        { publishedAt: null },
        {
          orderBy: { occurredAt: 'asc', id: 'asc' },
          limit: this.batchSize,
          lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE,
        },
      );
      let published = 0;
      for (const row of rows) {
        try {
          await this.bus.publish(toEnvelope(row));
        } catch (err) {
          row.attempts += 1;
          row.lastError = errorMessage(err).slice(0, 2_000);
          this.logger.warn(
            {
              eventId: row.id,
              type: row.type,
              attempts: row.attempts,
              err: row.lastError,
              waiting: rows.length - published,
            },
            'outbox publish failed: will retry',
          );
          return { published, failed: true };
        }
        row.publishedAt = new Date();
        published++;
      }
      return { published, failed: false };
    });
  }

  /** Rounds until the backlog is empty, a publish fails, or the relay is stopped. */
  private async drain(): Promise<void> {
    try {
      for (;;) {
        const round = await this.runOnce();
        if (round.failed || round.published < this.batchSize || !this.started) return;
      }
    } catch (err) {
      this.logger.error({ err: errorMessage(err) }, 'outbox relay round failed');
    }
  }
}
