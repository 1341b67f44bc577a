import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Emit, Logger, Worker } from '@supergraph/kit';

/** Settings of a reminder scheduler. */
export interface ReminderSchedulerOptions {
  /** Milliseconds between scans. */
  intervalMs: number;
  /** Due plants claimed per transaction. */
  batchSize: number;
  log: Logger;
  /** Records the plants subgraph's events. */
  emit: Emit;
}

interface DueRow {
  id: string;
  owner_id: string;
  nickname: string;
  next_watering_at: Date;
}

/**
 * Emits `plant.watering_due` once per plant and due date. Each round claims due plants that have
 * no reminder for their current `next_watering_at` with `SELECT … FOR UPDATE SKIP LOCKED` (so
 * schedulers on several replicas share the work instead of racing), inserts one
 * `watering_reminder (plant_id, due_at)` row per plant with ON CONFLICT DO NOTHING (the unique
 * pair is the final guard), and writes the event to the outbox only for rows it inserted, all in
 * one transaction. A crash rolls the round back and the next round (on any replica) redoes it;
 * a plant that stays unwatered keeps its due date and is not reminded again.
 */
export class ReminderScheduler implements Worker {
  readonly name = 'reminders';
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly opts: ReminderSchedulerOptions,
  ) {}

  /** Starts scanning: once at once, then every `intervalMs`. */
  start(): void {
    this.stopped = false;
    this.tick();
  }

  /** Stops scanning; resolves when the round in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /**
   * Reminds every plant due at `now` (repeating full batches until none is left).
   * @returns how many reminders this scheduler emitted.
   */
  async runOnce(now: Date = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const { claimed, emitted } = await this.round(now);
      total += emitted;
      if (claimed < this.opts.batchSize || this.stopped) return total;
    }
  }

  private tick(): void {
    if (this.stopped) return;
    this.running = this.runOnce()
      .then((n) => n > 0 && this.opts.log.debug({ reminders: n }, 'watering reminders emitted'))
      .catch((err) => this.opts.log.error({ err }, 'watering reminder round failed; retrying next interval'))
      .finally(() => {
        this.running = null;
        if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.opts.intervalMs);
      });
  }

  /** One transaction: claim up to a batch of due plants, record reminders, write events. */
  private async round(now: Date): Promise<{ claimed: number; emitted: number }> {
    const em = this.orm.em.fork({ disableContextResolution: true }) as EntityManager;
    return em.transactional(async (tx) => {
      // tx.execute runs inside this transaction; a bare connection would take another pooled one.
      const due = await tx.execute<DueRow[]>(
        `select p."id", p."owner_id", p."nickname", p."next_watering_at" from "plant" p
         where p."next_watering_at" <= ?
           and not exists (select 1 from "watering_reminder" r where r."plant_id" = p."id" and r."due_at" = p."next_watering_at")
         order by p."next_watering_at", p."id"
         limit ?
         for update of p skip locked`,
        [now, this.opts.batchSize],
      );
      if (due.length === 0) return { claimed: 0, emitted: 0 };
      const values = due.map(() => '(?, ?, ?, now())').join(', ');
      const inserted = await tx.execute<{ plant_id: string }[]>(
        `insert into "watering_reminder" ("id", "plant_id", "due_at", "sent_at") values ${values}
         on conflict ("plant_id", "due_at") do nothing returning "plant_id"`,
        due.flatMap((d) => [randomUUID(), d.id, d.next_watering_at]),
      );
      const mine = new Set(inserted.map((r) => r.plant_id));
      for (const d of due) {
        if (!mine.has(d.id)) continue;
        this.opts.emit(tx, 'plant.watering_due', {
          plantId: d.id,
          ownerId: d.owner_id,
          nickname: d.nickname,
          dueAt: new Date(d.next_watering_at).toISOString(),
        });
      }
      return { claimed: due.length, emitted: mine.size };
    });
  }
}
