import type { EntityManager } from '@mikro-orm/postgresql';
import { distanceParams, distanceSql } from '@supergraph/kit';

/** Contact details as users announces them; a field left undefined keeps the stored value. */
export interface RecipientContact {
  userId: string;
  email?: string | null;
  displayName?: string | null;
  phone?: string | null;
  role?: string;
}

const COLUMNS = { email: 'email', displayName: 'display_name', phone: 'phone', role: 'role' } as const;

/**
 * Creates or updates a recipient's contact details in one statement (insert … on conflict do
 * update), so a consumer and a user's own preferences mutation may each come first.
 */
export async function upsertRecipient(em: EntityManager, contact: RecipientContact): Promise<void> {
  const fields = (Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]).filter((k) => contact[k] !== undefined);
  const cols = fields.map((k) => `"${COLUMNS[k]}"`);
  const updates = cols.map((c) => `${c} = excluded.${c}`);
  await em.execute(
    `insert into "recipient" ("user_id", ${[...cols, '"created_at"', '"updated_at"'].join(', ')})
     values (?, ${fields.map(() => '?').join(', ')}${fields.length ? ', ' : ''}now(), now())
     on conflict ("user_id") do update set ${[...updates, '"updated_at" = now()'].join(', ')}`,
    [contact.userId, ...fields.map((k) => contact[k] ?? null)],
  );
}

/** Ids (with distance) of users whose home is within their own alert radius of `point`. */
export async function recipientsWithinAlertRadius(
  em: EntityManager,
  point: { lat: number; lng: number },
  excludeUserId?: string,
): Promise<{ userId: string; distanceKm: number }[]> {
  const distance = distanceSql('"home_lat"', '"home_lng"');
  const rows = await em.execute<{ user_id: string; distance_km: number }[]>(
    `select "user_id", "distance_km" from (
       select "user_id", "alert_radius_km", ${distance} as "distance_km" from "recipient"
       where "home_lat" is not null and "home_lng" is not null and "user_id" <> ?
     ) r where "distance_km" <= "alert_radius_km" order by "distance_km"`,
    [...distanceParams(point), excludeUserId ?? '00000000-0000-0000-0000-000000000000'],
  );
  return rows.map((r) => ({ userId: r.user_id, distanceKm: Number(r.distance_km) }));
}

/** Ids of every recipient, or of those whose home lies within `circle`. */
export async function recipientsInCircle(
  em: EntityManager,
  circle: { lat: number; lng: number; radiusKm: number } | null,
): Promise<string[]> {
  if (!circle) {
    const rows = await em.execute<{ user_id: string }[]>(`select "user_id" from "recipient" order by "user_id"`);
    return rows.map((r) => r.user_id);
  }
  const rows = await em.execute<{ user_id: string }[]>(
    `select "user_id" from "recipient" where "home_lat" is not null and "home_lng" is not null
     and ${distanceSql('"home_lat"', '"home_lng"')} <= ? order by "user_id"`,
    [...distanceParams(circle), circle.radiusKm],
  );
  return rows.map((r) => r.user_id);
}

/** Ids of the ADMINs known to the directory. */
export async function adminIds(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ user_id: string }[]>(`select "user_id" from "recipient" where "role" = 'ADMIN'`);
  return rows.map((r) => r.user_id);
}

/** Distinct users who got an ALERT about `caseId`. */
export async function alertedAboutCase(em: EntityManager, caseId: string): Promise<string[]> {
  const rows = await em.execute<{ recipient_id: string }[]>(
    `select distinct "recipient_id" from "notification" where "case_id" = ? and "category" = 'ALERT'`,
    [caseId],
  );
  return rows.map((r) => r.recipient_id);
}
