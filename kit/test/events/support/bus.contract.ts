import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetterSource, EventBus, EventEnvelope, EventType, EventSubscription } from '../../../src/events';
import { EVENT_VERSIONS } from '../../../src/events';
import { waitFor } from './wait';

/** A bus under test, set up so that a failing event is dead-lettered after 3 deliveries. */
export interface ContractBus {
  bus: EventBus & DeadLetterSource;
  teardown(): Promise<void>;
}

export const CONTRACT_MAX_DELIVERIES = 3;

/** Builds a well-formed envelope as a relay would publish it. */
export function envelope<T extends EventType>(type: T, payload: EventEnvelope<T>['payload']): EventEnvelope<T> {
  const id = randomUUID();
  return {
    id,
    type,
    version: EVENT_VERSIONS[type],
    occurredAt: new Date().toISOString(),
    correlationId: `corr-${id}`,
    producer: 'contract-test',
    payload,
  } as EventEnvelope<T>;
}

function plantAdded(n: number): EventEnvelope<'plant.added'> {
  return envelope('plant.added', { plantId: `p${n}`, ownerId: 'u1', speciesId: 's1' });
}

/**
 * The at-least-once contract every EventBus must keep. Written once, run for the in-process
 * bus and for the Redis Streams bus.
 */
export function runBusContract(name: string, makeBus: () => Promise<ContractBus>): void {
  describe(`EventBus contract: ${name}`, () => {
    let ctx: ContractBus;
    const subs: EventSubscription[] = [];
    const group = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      ctx = await makeBus();
    });
    afterAll(async () => {
      await Promise.all(subs.map((s) => s.close()));
      await ctx.bus.close();
      await ctx.teardown();
    });

    it('delivers a published envelope intact', async () => {
      const got: EventEnvelope[] = [];
      subs.push(await ctx.bus.subscribe(group('intact'), async (e) => void got.push(e)));
      const sent = envelope('case.reported', {
        caseId: 'c1',
        reportId: 'R-1',
        reporterId: 'u1',
        childName: 'Ana',
        age: 7,
        gender: 'female',
        lastSeenAt: '2024-05-01T10:00:00.000Z',
        lastSeenPlace: 'Plaza',
        location: { lat: 1.5, lng: -2.25 },
        locationType: 'approximate',
        photoUrl: null,
        status: 'OPEN',
      });
      await ctx.bus.publish(sent);
      await waitFor('delivery', () => got.length === 1);
      expect(got[0]).toEqual(sent);
    });

    it('gives every event to each group, and each event to one member within a group', async () => {
      const a: string[] = [];
      const b1: string[] = [];
      const b2: string[] = [];
      const ga = group('a');
      const gb = group('b');
      subs.push(await ctx.bus.subscribe(ga, async (e) => void a.push(e.id)));
      subs.push(await ctx.bus.subscribe(gb, async (e) => void b1.push(e.id), { consumerName: 'one' }));
      subs.push(await ctx.bus.subscribe(gb, async (e) => void b2.push(e.id), { consumerName: 'two' }));
      const sent = Array.from({ length: 10 }, (_, i) => plantAdded(i));
      for (const e of sent) await ctx.bus.publish(e);
      const ids = sent.map((e) => e.id).sort();
      await waitFor('group a to get all', () => a.length === 10);
      await waitFor('group b to get all', () => b1.length + b2.length === 10);
      expect([...a].sort()).toEqual(ids);
      expect([...b1, ...b2].sort()).toEqual(ids);
    });

    it('passes only the subscribed types to a filtered handler', async () => {
      const got: string[] = [];
      subs.push(
        await ctx.bus.subscribe(group('filter'), async (e) => void got.push(e.type), { types: ['plant.removed'] }),
      );
      await ctx.bus.publish(plantAdded(1));
      await ctx.bus.publish(envelope('plant.removed', { plantId: 'p1', ownerId: 'u1' }));
      await ctx.bus.publish(plantAdded(2));
      await ctx.bus.publish(envelope('plant.removed', { plantId: 'p2', ownerId: 'u1' }));
      await waitFor('two removals', () => got.length === 2);
      expect(got).toEqual(['plant.removed', 'plant.removed']);
    });

    it('redelivers after a failure until the handler succeeds', async () => {
      let calls = 0;
      let done = false;
      const g = group('retry');
      subs.push(
        await ctx.bus.subscribe(g, async () => {
          calls++;
          if (calls < CONTRACT_MAX_DELIVERIES) throw new Error(`transient failure ${calls}`);
          done = true;
        }),
      );
      await ctx.bus.publish(plantAdded(1));
      await waitFor('success on the last allowed delivery', () => done);
      expect(calls).toBe(CONTRACT_MAX_DELIVERIES);
      expect(await ctx.bus.deadLetters(g)).toEqual([]);
    });

    it('dead-letters an event after maxDeliveries failures and goes on with the next', async () => {
      const g = group('dead');
      const poison = plantAdded(666);
      const fine = plantAdded(7);
      let poisonCalls = 0;
      const ok: string[] = [];
      subs.push(
        await ctx.bus.subscribe(g, async (e) => {
          if (e.id === poison.id) {
            poisonCalls++;
            throw new Error('handler rejects this event');
          }
          ok.push(e.id);
        }),
      );
      await ctx.bus.publish(poison);
      await ctx.bus.publish(fine);
      await waitFor('dead letter', async () => (await ctx.bus.deadLetters(g)).length === 1);
      await waitFor('the healthy event', () => ok.length === 1);
      const [letter] = await ctx.bus.deadLetters(g);
      expect(letter.envelope?.id).toBe(poison.id);
      expect(letter.deliveries).toBe(CONTRACT_MAX_DELIVERIES);
      expect(letter.error).toContain('handler rejects this event');
      expect(poisonCalls).toBe(CONTRACT_MAX_DELIVERIES);
      expect(ok).toEqual([fine.id]);
    });

    it('keeps events for a group whose member left, for the next member', async () => {
      const g = group('handover');
      const first: string[] = [];
      const second: string[] = [];
      const sub = await ctx.bus.subscribe(g, async (e) => void first.push(e.id));
      const e1 = plantAdded(1);
      await ctx.bus.publish(e1);
      await waitFor('first member', () => first.length === 1);
      await sub.close();
      const e2 = plantAdded(2);
      await ctx.bus.publish(e2);
      subs.push(await ctx.bus.subscribe(g, async (e) => void second.push(e.id)));
      await waitFor('second member', () => second.length === 1);
      expect(first).toEqual([e1.id]);
      expect(second).toEqual([e2.id]);
    });
  });
}
