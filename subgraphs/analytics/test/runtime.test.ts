import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessPubSub } from '@supergraph/kit';
import { DASHBOARD_TOPIC } from '../src/dashboard/dashboard.publisher';
import { createRuntime, type AnalyticsRuntime } from '../src/runtime/analytics.runtime';
import { findZones } from '../src/zones/risk-zone.store';
import { fixtureEvents, NOW } from './support/analytics.fixture';
import { openHarness, type Harness } from './support/analytics.harness';

/** Polls `check` every 20 ms for up to 10 s. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not met within 10 s');
}

/** Collects what an async iterable yields. */
function collect(iterable: AsyncIterable<unknown>): { values: unknown[]; stop: () => Promise<unknown> } {
  const it = iterable[Symbol.asyncIterator]();
  const values: unknown[] = [];
  void (async () => {
    for (let r = await it.next(); !r.done; r = await it.next()) values.push(r.value);
  })();
  return { values, stop: () => it.return!() };
}

describe('analytics runtime: debounced zones, dashboard pushes', () => {
  let h: Harness;
  let runtime: AnalyticsRuntime;

  beforeAll(async () => {
    h = await openHarness();
    runtime = createRuntime({
      now: () => NOW,
      zoneDebounceMs: 100,
      zoneRefreshMs: 0,
      dashboardIntervalMs: 60_000,
      pubsub: new InProcessPubSub(),
    });
    runtime.start(h.db.orm);
  });
  afterAll(async () => {
    await runtime?.stop();
    await h?.close();
  });

  it('recomputes the zones once for a burst of case events', async () => {
    await h.feed(fixtureEvents());
    for (let i = 0; i < 20; i++) runtime.zones.request();
    await until(() => runtime.zones.runs === 1);
    expect((await findZones(h.em())).map((z) => z.caseCount)).toEqual([3, 1]);
    runtime.zones.request();
    await until(() => runtime.zones.runs === 2);
    expect(runtime.zones.runs).toBe(2);
  });

  it('gives a subscriber the current figures first, then pushes only changes', async () => {
    const sub = collect(runtime.pubsub.subscribe(DASHBOARD_TOPIC));
    await until(() => sub.values.length === 1);
    expect(sub.values[0]).toMatchObject({
      openCases: 4,
      casesToday: 1,
      sightingsToday: 1,
      alertsSent: 2,
      notificationsDelivered: 17,
      updatedAt: NOW.toISOString(),
    });
    expect(await runtime.dashboard.tick()).toBe(true); // first reading of this publisher
    expect(await runtime.dashboard.tick()).toBe(false); // nothing changed
    const [reported] = fixtureEvents().filter((e) => e.type === 'case.reported');
    await h.feed([
      {
        ...reported,
        id: randomUUID(),
        occurredAt: '2025-06-15T11:59:00Z',
        payload: { ...reported.payload, caseId: randomUUID() },
      } as typeof reported,
    ]);
    runtime.dashboard.markDirty();
    expect(await runtime.dashboard.tick()).toBe(true);
    await until(() => sub.values.length === 3);
    expect(sub.values[2]).toMatchObject({ openCases: 5, casesToday: 2 });
    await sub.stop();
    expect(runtime.pubsub.subscriberCount(DASHBOARD_TOPIC)).toBe(0);
  });
});
