import type { EntityManager } from '@mikro-orm/postgresql';
import type { Channel } from '@supergraph/kit';
import type { CaseFact, CaseStatus, DeliveryFact, Gender, PlantFact, WateringFact } from '../domain';

interface CaseRecord {
  case_id: string;
  reported_at: Date;
  last_seen_at: Date;
  age: number;
  gender: string;
  lat: number | null;
  lng: number | null;
  location_type: string | null;
  status: string;
  found_at: Date | null;
}

/**
 * Case facts for the calculators. `openWithLocation` reads only what risk zones use (MISSING
 * cases with a location), which keeps a recompute over many cases to one narrow query.
 */
export async function loadCaseFacts(em: EntityManager, opts: { openWithLocation?: boolean } = {}): Promise<CaseFact[]> {
  const where = opts.openWithLocation ? `where "status" = 'MISSING' and "lat" is not null and "lng" is not null` : '';
  const rows = await em.execute<CaseRecord[]>(
    `select "case_id", "reported_at", "last_seen_at", "age", "gender", "lat", "lng", "location_type", "status", "found_at"
     from "case_fact" ${where}`,
  );
  return rows.map((r) => ({
    caseId: r.case_id,
    reportedAt: new Date(r.reported_at),
    lastSeenAt: new Date(r.last_seen_at),
    age: Number(r.age),
    gender: r.gender as Gender,
    location: r.lat === null || r.lng === null ? null : { lat: Number(r.lat), lng: Number(r.lng) },
    locationType: r.location_type,
    status: r.status as CaseStatus,
    foundAt: r.found_at ? new Date(r.found_at) : null,
  }));
}

/** Delivery facts for the engagement calculator. */
export async function loadDeliveryFacts(em: EntityManager): Promise<DeliveryFact[]> {
  const rows = await em.execute<
    Array<{ notification_id: string; channel: string; status: string; at: Date; opened: boolean; acted: boolean }>
  >('select "notification_id", "channel", "status", "at", "opened", "acted" from "delivery_fact"');
  return rows.map((r) => ({
    notificationId: r.notification_id,
    channel: r.channel as Channel,
    status: r.status === 'SENT' ? 'SENT' : 'FAILED',
    at: new Date(r.at),
    opened: r.opened,
    acted: r.acted,
  }));
}

/** Plant and watering facts for the plant care calculator. */
export async function loadPlantCareFacts(
  em: EntityManager,
): Promise<{ plants: PlantFact[]; waterings: WateringFact[] }> {
  const plants = await em.execute<
    Array<{ plant_id: string; added_at: Date; removed_at: Date | null; next_watering_due_at: Date | null }>
  >('select "plant_id", "added_at", "removed_at", "next_watering_due_at" from "plant_fact"');
  const waterings = await em.execute<Array<{ plant_id: string; watered_at: Date; due_at: Date | null }>>(
    'select "plant_id", "watered_at", "due_at" from "watering_fact"',
  );
  return {
    plants: plants.map((p) => ({
      plantId: p.plant_id,
      addedAt: new Date(p.added_at),
      removedAt: p.removed_at ? new Date(p.removed_at) : null,
      nextWateringDueAt: p.next_watering_due_at ? new Date(p.next_watering_due_at) : null,
    })),
    waterings: waterings.map((w) => ({
      plantId: w.plant_id,
      wateredAt: new Date(w.watered_at),
      dueAt: w.due_at ? new Date(w.due_at) : null,
    })),
  };
}
