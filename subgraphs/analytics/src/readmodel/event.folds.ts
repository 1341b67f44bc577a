import { CHANNELS, isValidPoint, type Channel, type EventPayloads, type EventType } from '@supergraph/kit';
import { GENDERS, type CaseStatus, type Gender } from '../domain';

/** An event as kept in `event_log`. */
export interface LoggedEvent {
  id: string;
  type: EventType;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

/** The kinds of things analytics keeps read models of; each event is about one of them. */
export type SubjectKind = 'case' | 'sighting' | 'notification' | 'plant';

/** The event types analytics consumes and projects. */
export const PROJECTED_TYPES = [
  'case.reported',
  'case.updated',
  'case.status_changed',
  'case.deleted',
  'sighting.reported',
  'notification.delivered',
  'notification.failed',
  'notification.opened',
  'notification.acted',
  'plant.added',
  'plant.watered',
  'plant.removed',
  'plant.watering_due',
] as const satisfies readonly EventType[];

/** One of {@link PROJECTED_TYPES}. */
export type ProjectedType = (typeof PROJECTED_TYPES)[number];

/** Which subject an event is about, or null for a type analytics does not project. */
export function subjectOf(type: string, payload: Record<string, unknown>): { kind: SubjectKind; id: string } | null {
  const id = (field: string): string | null =>
    typeof payload[field] === 'string' && payload[field] ? (payload[field] as string) : null;
  const kind = kindOf(type);
  if (!kind) return null;
  const subject =
    kind === 'case'
      ? id('caseId')
      : kind === 'sighting'
        ? id('sightingId')
        : kind === 'notification'
          ? id('notificationId')
          : id('plantId');
  return subject ? { kind, id: subject } : null;
}

/** The subject kind of an event type, or null when analytics does not project it. */
export function kindOf(type: string): SubjectKind | null {
  if (!(PROJECTED_TYPES as readonly string[]).includes(type)) return null;
  const prefix = type.slice(0, type.indexOf('.'));
  return prefix === 'case' || prefix === 'sighting' || prefix === 'notification' || prefix === 'plant' ? prefix : null;
}

/** The event types of one subject kind. */
export function typesOf(kind: SubjectKind): ProjectedType[] {
  return PROJECTED_TYPES.filter((t) => kindOf(t) === kind);
}

/** A `case_fact` row. */
export interface CaseRow {
  caseId: string;
  reportId: string;
  reportedAt: Date;
  lastSeenAt: Date;
  age: number;
  gender: Gender;
  lat: number | null;
  lng: number | null;
  locationType: string | null;
  status: CaseStatus;
  foundAt: Date | null;
  closedAt: Date | null;
}

/** A `sighting_fact` row. */
export interface SightingRow {
  sightingId: string;
  caseId: string;
  seenAt: Date;
  reportedAt: Date;
  lat: number | null;
  lng: number | null;
}

/** A `delivery_fact` row. */
export interface DeliveryRow {
  notificationId: string;
  channel: Channel;
  category: string;
  status: 'SENT' | 'FAILED';
  attempts: number;
  at: Date;
  opened: boolean;
  acted: boolean;
}

/** A `plant_fact` row. */
export interface PlantRow {
  plantId: string;
  ownerId: string;
  addedAt: Date;
  removedAt: Date | null;
  nextWateringDueAt: Date | null;
}

/** A `watering_fact` row. */
export interface WateringRow {
  id: string;
  plantId: string;
  wateredAt: Date;
  dueAt: Date | null;
}

/** Events in the order they happened (ties by id), the order every fold expects. */
export function chronological(events: readonly LoggedEvent[]): LoggedEvent[] {
  return [...events].sort(
    (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * The case row from all events of one case, whatever order they arrived in: the report gives
 * the facts, status changes apply in time order; `foundAt` is the time of the last change to
 * FOUND, kept through a later CLOSED and cleared by a return to MISSING; `closedAt` is the time of
 * the change to CLOSED while the case stays CLOSED. Null until the
 * `case.reported` event is known (a status change that overtook its report waits for it), and
 * null for good once `case.deleted` is known.
 */
export function foldCase(events: readonly LoggedEvent[]): CaseRow | null {
  const ordered = chronological(events);
  const reported = ordered.find((e) => e.type === 'case.reported');
  // A deleted case leaves the read model, whatever arrived before or after its deletion.
  if (!reported || ordered.some((e) => e.type === 'case.deleted')) return null;
  const p = reported.payload as unknown as EventPayloads['case.reported'];
  let status: CaseStatus = statusOf(p.status) ?? 'MISSING';
  let foundAt: Date | null = status === 'FOUND' ? reported.occurredAt : null;
  let closedAt: Date | null = status === 'CLOSED' ? reported.occurredAt : null;
  for (const e of ordered) {
    if (e.type !== 'case.status_changed') continue;
    const to = statusOf((e.payload as unknown as EventPayloads['case.status_changed']).to);
    if (!to) continue;
    // A repeated CLOSED keeps the first closing time: the case has been closed since then.
    if (to === 'CLOSED' && status !== 'CLOSED') closedAt = e.occurredAt;
    else if (to !== 'CLOSED') closedAt = null;
    status = to;
    if (to === 'FOUND') foundAt = e.occurredAt;
    else if (to === 'MISSING') foundAt = null;
  }
  const location = isValidPoint(p.location) ? p.location : null;
  const gender = typeof p.gender === 'string' ? p.gender.toUpperCase() : '';
  return {
    caseId: p.caseId,
    reportId: String(p.reportId ?? ''),
    reportedAt: reported.occurredAt,
    lastSeenAt: dateOr(p.lastSeenAt, reported.occurredAt),
    age: typeof p.age === 'number' && Number.isFinite(p.age) ? p.age : -1,
    gender: (GENDERS as readonly string[]).includes(gender) ? (gender as Gender) : 'UNKNOWN',
    lat: location?.lat ?? null,
    lng: location?.lng ?? null,
    locationType:
      typeof p.locationType === 'string' && p.locationType.trim() ? p.locationType.trim().slice(0, 100) : null,
    status,
    foundAt,
    closedAt,
  };
}

/** The sighting row of a `sighting.reported` event. */
export function foldSighting(events: readonly LoggedEvent[]): SightingRow | null {
  const e = chronological(events).find((x) => x.type === 'sighting.reported');
  if (!e) return null;
  const p = e.payload as unknown as EventPayloads['sighting.reported'];
  const location = isValidPoint(p.location) ? p.location : null;
  return {
    sightingId: p.sightingId,
    caseId: p.caseId,
    seenAt: dateOr(p.seenAt, e.occurredAt),
    reportedAt: e.occurredAt,
    lat: location?.lat ?? null,
    lng: location?.lng ?? null,
  };
}

/**
 * The delivery rows of one notification, one per channel it was handed to. The outcome of a
 * channel is that of its latest attempt (most attempts; a success wins a tie, as a retry that
 * succeeded supersedes the failure it retried). Opened/acted apply to every channel that
 * delivered the notification: they say the recipient reacted to what that channel brought.
 * Channel names are matched case-insensitively; a channel outside the six is ignored.
 */
export function foldDeliveries(events: readonly LoggedEvent[]): DeliveryRow[] {
  const ordered = chronological(events);
  const opened = ordered.some((e) => e.type === 'notification.opened');
  const acted = ordered.some((e) => e.type === 'notification.acted');
  const category = ordered.map((e) => e.payload.category).find((c): c is string => typeof c === 'string') ?? 'UNKNOWN';
  const byChannel = new Map<Channel, DeliveryRow>();
  for (const e of ordered) {
    if (e.type !== 'notification.delivered' && e.type !== 'notification.failed') continue;
    const p = e.payload as unknown as EventPayloads['notification.delivered'];
    const channel = channelOf(p.channel);
    if (!channel) continue;
    const row: DeliveryRow = {
      notificationId: p.notificationId,
      channel,
      category: category.slice(0, 64),
      status: e.type === 'notification.delivered' ? 'SENT' : 'FAILED',
      attempts: Number.isInteger(p.attempts) && p.attempts > 0 ? p.attempts : 1,
      at: e.occurredAt,
      opened,
      acted,
    };
    const current = byChannel.get(channel);
    if (
      !current ||
      row.attempts > current.attempts ||
      (row.attempts === current.attempts && (row.status === 'SENT' || current.status === 'FAILED'))
    ) {
      byChannel.set(channel, row);
    }
  }
  return [...byChannel.values()];
}

/**
 * The plant row and watering rows of one plant. `nextWateringDueAt` is the due date of the
 * latest watering reminder (`plant.watering_due`) unless a watering answered it: one done at or
 * after the reminder, or one recorded against that due date or a later one. The plant row is
 * null until `plant.added` is known; waterings count regardless (they were real care).
 */
export function foldPlant(events: readonly LoggedEvent[]): { plant: PlantRow | null; waterings: WateringRow[] } {
  const ordered = chronological(events);
  const waterings: WateringRow[] = ordered
    .filter((e) => e.type === 'plant.watered')
    .map((e) => {
      const p = e.payload as unknown as EventPayloads['plant.watered'];
      return {
        id: e.id,
        plantId: p.plantId,
        wateredAt: dateOr(p.wateredAt, e.occurredAt),
        dueAt: p.dueAt ? dateOr(p.dueAt, null) : null,
      };
    });
  const added = ordered.find((e) => e.type === 'plant.added');
  if (!added) return { plant: null, waterings };
  const removed = ordered.filter((e) => e.type === 'plant.removed').at(-1);
  let latestDue: { at: Date; dueAt: Date } | null = null;
  for (const e of ordered) {
    if (e.type !== 'plant.watering_due') continue;
    const dueAt = dateOr((e.payload as unknown as EventPayloads['plant.watering_due']).dueAt, null);
    if (dueAt && (!latestDue || dueAt.getTime() >= latestDue.dueAt.getTime())) latestDue = { at: e.occurredAt, dueAt };
  }
  const answered =
    latestDue !== null &&
    waterings.some(
      (w) =>
        w.wateredAt.getTime() >= Math.min(latestDue!.at.getTime(), latestDue!.dueAt.getTime()) ||
        (w.dueAt !== null && w.dueAt.getTime() >= latestDue!.dueAt.getTime()),
    );
  const p = added.payload as unknown as EventPayloads['plant.added'];
  return {
    plant: {
      plantId: p.plantId,
      ownerId: String(p.ownerId ?? ''),
      addedAt: added.occurredAt,
      removedAt: removed ? removed.occurredAt : null,
      nextWateringDueAt: latestDue && !answered ? latestDue.dueAt : null,
    },
    waterings,
  };
}

function statusOf(value: unknown): CaseStatus | null {
  const s = typeof value === 'string' ? value.toUpperCase() : '';
  return s === 'MISSING' || s === 'FOUND' || s === 'CLOSED' ? s : null;
}

function channelOf(value: unknown): Channel | null {
  const c = typeof value === 'string' ? value.toUpperCase() : '';
  return (CHANNELS as readonly string[]).includes(c) ? (c as Channel) : null;
}

function dateOr<T extends Date | null>(value: unknown, fallback: T): Date | T {
  const d = typeof value === 'string' || value instanceof Date ? new Date(value) : null;
  return d && !Number.isNaN(d.getTime()) ? d : fallback;
}
