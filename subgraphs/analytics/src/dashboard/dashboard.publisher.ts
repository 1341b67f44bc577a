import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { LivePubSub, Logger } from '@supergraph/kit';
import { readDashboard, sameFigures, startOfUtcDay, type DashboardFigures } from './dashboard.counters';

/** The pub/sub topic of `dashboardUpdated`. */
export const DASHBOARD_TOPIC = 'DASHBOARD_UPDATED';

/** Settings of the dashboard publisher. */
export interface DashboardPublisherOptions {
  now: () => Date;
  /** Shortest time between two pushes (default 1000 ms). */
  intervalMs: number;
  log?: Logger;
}

/**
 * Pushes the dashboard figures when they change, at most once per `intervalMs`: `markDirty()`
 * (called for every consumed event) only notes the time; a tick every `intervalMs` reads the
 * figures shortly after something happened or the UTC day rolled over ("today" counters reset), and
 * publishes them when they differ from the last push. New subscribers first receive the
 * current figures (see `LivePubSub.retain`).
 */
export class DashboardPublisher {
  private orm: MikroORM | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Read on every tick until this time (ms): a change may commit shortly after it was announced. */
  private dirtyUntil = Number.POSITIVE_INFINITY;
  private last: DashboardFigures | null = null;
  private day = '';
  private ticking: Promise<void> = Promise.resolve();
  /** Figures pushed so far, for tests and metrics. */
  pushes = 0;

  constructor(
    private readonly pubsub: LivePubSub,
    private readonly options: DashboardPublisherOptions,
  ) {
    pubsub.retain(DASHBOARD_TOPIC, async () => (this.orm ? this.read() : undefined));
  }

  /** Starts ticking against `orm`. */
  start(orm: MikroORM): void {
    this.orm = orm;
    this.timer = setInterval(() => {
      this.ticking = this.tick().then(
        () => undefined,
        (err) => this.options.log?.warn({ err }, 'dashboard update failed'),
      );
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /**
   * Notes that figures may have changed. Ticks keep reading for three intervals, because the
   * transaction that changed them may commit after this call.
   */
  markDirty(): void {
    this.dirtyUntil = Date.now() + 3 * this.options.intervalMs;
  }

  /** Reads the figures now. */
  read(em?: EntityManager): Promise<DashboardFigures> {
    const manager = em ?? (this.orm!.em.fork({ disableContextResolution: true }) as EntityManager);
    return readDashboard(manager, this.options.now());
  }

  /** One tick: read when needed, publish when changed. Returns whether it published. */
  async tick(): Promise<boolean> {
    const now = this.options.now();
    const day = startOfUtcDay(now).toISOString();
    if (Date.now() > this.dirtyUntil && day === this.day) return false;
    if (this.dirtyUntil === Number.POSITIVE_INFINITY) this.dirtyUntil = 0;
    this.day = day;
    let figures: DashboardFigures;
    try {
      figures = await this.read();
    } catch (err) {
      this.markDirty(); // try again on the next ticks
      throw err;
    }
    if (sameFigures(this.last, figures)) return false;
    this.last = figures;
    this.pushes += 1;
    this.pubsub.publish(DASHBOARD_TOPIC, figures);
    return true;
  }

  /** Stops ticking and waits for a tick in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }
}
