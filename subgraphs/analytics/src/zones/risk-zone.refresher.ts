import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '@supergraph/kit';
import type { RiskZone, RiskZoneOptions } from '../domain';
import { recomputeZones } from './risk-zone.writer';

/** Settings of the zone refresher. */
export interface RiskZoneRefresherOptions {
  /** The clock; tests pin it. */
  now: () => Date;
  /** Shortest time between two background recomputes (and delay after the first request). */
  debounceMs: number;
  /** Periodic recompute so recency decay shows without new events; 0 turns it off. */
  refreshMs: number;
  /** Calculator settings besides `now`. */
  zoneOptions?: Omit<RiskZoneOptions, 'now'>;
  /** Called after every successful recompute (e.g. to push dashboard figures). */
  onRecomputed?: (zones: RiskZone[]) => void;
  log?: Logger;
}

/**
 * Keeps the stored risk zones current. `request()` asks for a background recompute: the first
 * request schedules one after `debounceMs`, requests arriving meanwhile join it, and a request
 * made while one runs schedules exactly one more, so zones are recomputed at most once per
 * `debounceMs` however fast case events arrive. `recomputeNow(em)` runs one at once (the
 * ADMIN mutation); all recomputes of this process run one after another.
 */
export class RiskZoneRefresher {
  private orm: MikroORM | null = null;
  private timer: NodeJS.Timeout | null = null;
  private periodic: NodeJS.Timeout | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private lastRunAt = 0;
  private stopped = false;
  /** Completed recomputes, for metrics and tests. */
  runs = 0;

  constructor(private readonly options: RiskZoneRefresherOptions) {}

  /** Binds the database for background recomputes and starts the periodic refresh. */
  start(orm: MikroORM): void {
    this.orm = orm;
    this.stopped = false;
    if (this.options.refreshMs > 0) {
      this.periodic = setInterval(() => this.request(), this.options.refreshMs);
      this.periodic.unref();
    }
  }

  /** Schedules a background recompute (debounced). No-op before `start` or after `stop`. */
  request(): void {
    if (!this.orm || this.stopped || this.timer) return;
    const wait = Math.max(
      0,
      this.lastRunAt + this.options.debounceMs - Date.now(),
      this.lastRunAt ? 0 : this.options.debounceMs,
    );
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.orm || this.stopped) return;
      const em = this.orm.em.fork({ disableContextResolution: true }) as EntityManager;
      this.recomputeNow(em).catch((err) => this.options.log?.error({ err }, 'risk zone recompute failed'));
    }, wait);
  }

  /** Recomputes now with `em` (after any recompute in progress) and returns the zones. */
  recomputeNow(em: EntityManager): Promise<RiskZone[]> {
    const run = this.chain.then(async () => {
      this.lastRunAt = Date.now();
      const zones = await recomputeZones(em, { ...this.options.zoneOptions, now: this.options.now() });
      this.runs += 1;
      this.options.onRecomputed?.(zones);
      return zones;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Cancels pending work and waits for a recompute in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.periodic) clearInterval(this.periodic);
    this.timer = null;
    this.periodic = null;
    await this.chain;
  }
}
