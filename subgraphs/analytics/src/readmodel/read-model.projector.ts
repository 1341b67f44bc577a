import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@supergraph/kit';
import {
  foldCase,
  foldDeliveries,
  foldPlant,
  foldSighting,
  subjectOf,
  typesOf,
  type LoggedEvent,
  type SubjectKind,
} from './event.folds';
import {
  emptyRows,
  insertProjectionRows,
  PROJECTION_TABLES,
  replaceSubject,
  type ProjectionRows,
} from './projection.writer';

/** What a recorded event touched, so callers know which figures may have changed. */
export interface Recorded {
  kind: SubjectKind;
  subjectId: string;
}

/**
 * Records one consumed event in `event_log` (a copy already there is left alone) and brings the
 * read model of the subject it is about up to date by folding that subject's whole logged
 * history: the result depends only on the set of logged events, never on arrival order or on
 * how often an event was seen. Returns null for an event analytics does not project.
 * Runs inside the caller's transaction.
 */
export async function recordEvent(em: EntityManager, envelope: EventEnvelope): Promise<Recorded | null> {
  const payload = envelope.payload as unknown as Record<string, unknown>;
  const subject = subjectOf(envelope.type, payload);
  if (!subject) return null;
  await em.execute(
    `insert into "event_log" ("id", "type", "subject_id", "payload", "occurred_at") values (?, ?, ?, ?::jsonb, ?)
     on conflict ("id") do nothing`,
    [envelope.id, envelope.type, subject.id, JSON.stringify(payload), new Date(envelope.occurredAt)],
  );
  const types = typesOf(subject.kind);
  const rows = await em.execute<
    Array<{ id: string; type: string; payload: Record<string, unknown>; occurred_at: Date }>
  >(
    `select "id", "type", "payload", "occurred_at" from "event_log"
     where "subject_id" = ? and "type" in (${types.map(() => '?').join(', ')})`,
    [subject.id, ...types],
  );
  const events = rows.map(toLogged);
  const projected = emptyRows();
  addFold(projected, subject.kind, events);
  await replaceSubject(em, subject.kind, subject.id, projected);
  await raiseReadModelVersion(em);
  return { kind: subject.kind, subjectId: subject.id };
}

/** Raises the read models' version (`read_model_state`), in the caller's transaction. */
export async function raiseReadModelVersion(em: EntityManager): Promise<void> {
  await em.execute(
    `insert into "read_model_state" ("id", "version") values (1, 1)
     on conflict ("id") do update set "version" = "read_model_state"."version" + 1`,
  );
}

/**
 * Rebuilds every projection from `event_log`: empties the fact tables, folds each subject's
 * logged events and writes the rows in bulk, all in the caller's transaction. The result is the
 * same as the live projection of the same events. Returns how many logged events were replayed.
 */
export async function rebuildProjections(em: EntityManager): Promise<number> {
  await em.execute(`truncate ${PROJECTION_TABLES.map((t) => `"${t}"`).join(', ')}`);
  const rows = await em.execute<
    Array<{ id: string; type: string; subject_id: string; payload: Record<string, unknown>; occurred_at: Date }>
  >('select "id", "type", "subject_id", "payload", "occurred_at" from "event_log" order by "subject_id"');
  const bySubject = new Map<string, { kind: SubjectKind; events: LoggedEvent[] }>();
  for (const row of rows) {
    const subject = subjectOf(row.type, row.payload);
    if (!subject) continue;
    const key = `${subject.kind}:${subject.id}`;
    const group = bySubject.get(key);
    if (group) group.events.push(toLogged(row));
    else bySubject.set(key, { kind: subject.kind, events: [toLogged(row)] });
  }
  const projected = emptyRows();
  for (const { kind, events } of bySubject.values()) addFold(projected, kind, events);
  await insertProjectionRows(em, projected);
  await raiseReadModelVersion(em);
  return rows.length;
}

function addFold(into: ProjectionRows, kind: SubjectKind, events: LoggedEvent[]): void {
  switch (kind) {
    case 'case': {
      const row = foldCase(events);
      if (row) into.case.push(row);
      return;
    }
    case 'sighting': {
      const row = foldSighting(events);
      if (row) into.sighting.push(row);
      return;
    }
    case 'notification':
      into.delivery.push(...foldDeliveries(events));
      return;
    case 'plant': {
      const { plant, waterings } = foldPlant(events);
      if (plant) into.plant.push(plant);
      into.watering.push(...waterings);
      return;
    }
    default: {
      const unknown: never = kind;
      throw new Error(`unknown subject kind ${String(unknown)}`);
    }
  }
}

function toLogged(row: {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  occurred_at: Date | string;
}): LoggedEvent {
  return {
    id: row.id,
    type: row.type as LoggedEvent['type'],
    payload: row.payload,
    occurredAt: new Date(row.occurred_at),
  };
}
