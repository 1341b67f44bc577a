import type { EntityManager } from '@mikro-orm/postgresql';
import { LruCache } from '@supergraph/kit';

/** Figures kept per process: a handful of queries, each with a few argument sets. */
const MAX_ENTRIES = 64;

/**
 * Remembers computed figures until the facts behind them change. A figure is computed from
 * every known case, delivery or plant, so it costs a full read of the projections; this cache
 * turns a repeated read into one statement that fetches the read models' version and the time
 * of the last zone recompute. A figure is recomputed when either changed, or when `bucket`
 * (e.g. the current minute, for figures that depend on the clock) moved on. Replicas each keep
 * their own cache, and the version lives in the database, so none of them serves stale figures.
 */
export class FigureCache {
  private readonly entries = new LruCache<string, Promise<unknown>>(MAX_ENTRIES);

  /** The figure `name` for `bucket`, computed by `compute` unless already known for the current facts. */
  async get<T>(em: EntityManager, name: string, bucket: string, compute: () => Promise<T>): Promise<T> {
    const [state] = await em.execute<Array<{ version: string | null; zones_at: Date | null }>>(
      `select (select "version" from "read_model_state" where "id" = 1) as "version",
              (select "computed_at" from "risk_zone_run" where "id" = 1) as "zones_at"`,
    );
    const zonesAt = state?.zones_at ? new Date(state.zones_at).toISOString() : '-';
    const key = `${name}|${state?.version ?? 0}|${zonesAt}|${bucket}`;
    let figure = this.entries.get(key);
    if (!figure) {
      figure = compute();
      this.entries.set(key, figure);
      figure.catch(() => this.entries.delete(key)); // a failed computation is not remembered
    }
    return figure as Promise<T>;
  }
}

/** The bucket of figures that depend on the clock: the UTC minute of `now`. */
export const minuteOf = (now: Date): string => now.toISOString().slice(0, 16);
