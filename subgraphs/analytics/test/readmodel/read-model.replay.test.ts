import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../src/readmodel/read-model.projector';
import { rebuildReadModels } from '../../src/readmodel/read-model.rebuild';
import { recomputeZones } from '../../src/zones/risk-zone.writer';
import { fixtureEvents, NOW } from '../support/analytics.fixture';
import { allFigures } from '../support/figures.snapshot';
import { openHarness, type Harness } from '../support/analytics.harness';

/** Figures after recomputing the zones at NOW. */
async function figuresOf(h: Harness) {
  await recomputeZones(h.em(), { now: NOW });
  return allFigures(h.em(), NOW);
}

describe('read models are idempotent and rebuildable from the event log', () => {
  let ordered: Harness;
  let shuffled: Harness;
  let expected: Awaited<ReturnType<typeof allFigures>>;

  beforeAll(async () => {
    [ordered, shuffled] = await Promise.all([openHarness(), openHarness()]);
    await ordered.feed(fixtureEvents());
    expected = await figuresOf(ordered);
  });
  afterAll(async () => {
    await ordered?.close();
    await shuffled?.close();
  });

  it('changes no figure when every event is delivered again', async () => {
    await ordered.feed([...fixtureEvents()].reverse());
    expect(await figuresOf(ordered)).toEqual(expected);
  });

  it('changes no figure when the projection itself sees every event twice (dedup bypassed)', async () => {
    await ordered.em().transactional(async (em) => {
      for (const e of [...fixtureEvents(), ...fixtureEvents()]) await recordEvent(em, e);
    });
    expect(await figuresOf(ordered)).toEqual(expected);
  });

  it('yields the same figures whatever order the events arrive in', async () => {
    // Reversed: status changes arrive before the reports they change, waterings before plants.
    await shuffled.feed([...fixtureEvents()].reverse());
    expect(await figuresOf(shuffled)).toEqual(expected);
  });

  it('reproduces every figure from the event log, however often it is rebuilt', async () => {
    const [{ n }] = await ordered.em().execute<Array<{ n: string }>>('select count(*) as n from "event_log"');
    const recompute = (em: Parameters<typeof recomputeZones>[0]) => recomputeZones(em, { now: NOW });
    for (let i = 0; i < 2; i++) {
      const result = await rebuildReadModels(ordered.em(), recompute);
      expect(result).toEqual({ replayedEvents: Number(n), riskZones: 2 });
      expect(await allFigures(ordered.em(), NOW)).toEqual(expected);
    }
  });

  it('rebuilds empty projections back from the log alone', async () => {
    await ordered.em().execute('delete from "case_fact"; delete from "delivery_fact"; delete from "plant_fact"');
    expect((await allFigures(ordered.em(), NOW)).dashboard.openCases).toBe(0);
    await rebuildReadModels(ordered.em(), (em) => recomputeZones(em, { now: NOW }));
    expect(await allFigures(ordered.em(), NOW)).toEqual(expected);
  });
});
