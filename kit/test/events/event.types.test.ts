import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  EVENT_VERSIONS,
  emitEvent,
  envelopeProblem,
  parseEnvelope,
  type EventEnvelope,
  type EventPayloads,
} from '../../src/events';
import { envelope } from './support/bus.contract';

describe('event catalogue', () => {
  it('names exactly the catalogued events, each at version 1', () => {
    expect([...EVENT_TYPES].sort()).toEqual(
      [
        'user.registered',
        'user.password_reset_requested',
        'user.updated',
        'case.reported',
        'case.updated',
        'case.deleted',
        'case.status_changed',
        'sighting.reported',
        'sighting.reviewed',
        'plant.added',
        'plant.watered',
        'plant.removed',
        'plant.watering_due',
        'notification.delivered',
        'notification.failed',
        'notification.opened',
        'notification.acted',
      ].sort(),
    );
    expect(new Set(Object.values(EVENT_VERSIONS))).toEqual(new Set([1]));
  });

  it('parses a serialised envelope and explains a malformed one', () => {
    const e = envelope('user.registered', { userId: 'u1', email: 'a@example.org', displayName: 'A' });
    expect(parseEnvelope(JSON.stringify(e))).toEqual(e);
    expect(() => parseEnvelope('{')).toThrow(/not valid JSON/);
    expect(envelopeProblem({ ...e, type: 'user.deleted' })).toBe('unknown event type "user.deleted"');
    expect(envelopeProblem({ ...e, occurredAt: 'yesterday' })).toBe('envelope has no valid occurredAt');
    expect(envelopeProblem({ ...e, payload: null })).toBe('envelope has no payload object');
    expect(envelopeProblem(e)).toBeNull();
  });

  it('narrows the payload by event type (checked by tsc)', () => {
    const describeEvent = (e: EventEnvelope): string => {
      switch (e.type) {
        case 'case.status_changed':
          return `${e.payload.caseId}: ${e.payload.from} -> ${e.payload.to}`;
        case 'plant.watering_due':
          return `${e.payload.nickname} due ${e.payload.dueAt}`;
        default:
          return e.type;
      }
    };
    const changed = envelope('case.status_changed', {
      caseId: 'c1',
      reportId: 'R-1',
      reporterId: 'u1',
      from: 'OPEN',
      to: 'FOUND',
      note: null,
      changedBy: 'u2',
    });
    expect(describeEvent(changed)).toBe('c1: OPEN -> FOUND');
  });

  it('rejects a payload that does not match its event at compile time', () => {
    // Only the type checker runs these; the function is never called.
    const compileOnly = (em: Parameters<typeof emitEvent>[0]): void => {
      // @ts-expect-error a plant.added payload needs speciesId
      emitEvent(em, 'plant.added', { plantId: 'p', ownerId: 'u' }, { producer: 'plants' });
      // @ts-expect-error no such event in the catalogue
      emitEvent(em, 'plant.deleted', { plantId: 'p', ownerId: 'u' }, { producer: 'plants' });
      const ok: EventPayloads['plant.removed'] = { plantId: 'p', ownerId: 'u' };
      emitEvent(em, 'plant.removed', ok, { producer: 'plants' });
    };
    expect(typeof compileOnly).toBe('function');
  });
});
