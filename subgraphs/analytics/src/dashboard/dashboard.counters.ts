import type { EntityManager } from '@mikro-orm/postgresql';

/** The live dashboard figures. */
export interface DashboardFigures {
  /** Cases currently MISSING. */
  openCases: number;
  /** Cases reported since 00:00 UTC today. */
  casesToday: number;
  /** Sightings reported since 00:00 UTC today. */
  sightingsToday: number;
  /** Alert notifications (category containing "ALERT") delivered on at least one channel, all time. */
  alertsSent: number;
  /** Successful deliveries on any channel, all time. */
  notificationsDelivered: number;
  /** When these figures were read. */
  updatedAt: Date;
}

/** Start of the UTC day of `now`. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** Reads the dashboard figures from the read models in one statement. */
export async function readDashboard(em: EntityManager, now: Date): Promise<DashboardFigures> {
  const today = startOfUtcDay(now);
  const [row] = await em.execute<Array<Record<string, string | number>>>(
    `select
       (select count(*) from "case_fact" where "status" = 'MISSING') as open_cases,
       (select count(*) from "case_fact" where "reported_at" >= ?) as cases_today,
       (select count(*) from "sighting_fact" where "reported_at" >= ?) as sightings_today,
       (select count(distinct "notification_id") from "delivery_fact" where "status" = 'SENT' and upper("category") like '%ALERT%') as alerts_sent,
       (select count(*) from "delivery_fact" where "status" = 'SENT') as notifications_delivered`,
    [today, today],
  );
  return {
    openCases: Number(row.open_cases),
    casesToday: Number(row.cases_today),
    sightingsToday: Number(row.sightings_today),
    alertsSent: Number(row.alerts_sent),
    notificationsDelivered: Number(row.notifications_delivered),
    updatedAt: now,
  };
}

/** True when two readings show the same figures (the time they were read aside). */
export function sameFigures(a: DashboardFigures | null, b: DashboardFigures): boolean {
  return (
    !!a &&
    a.openCases === b.openCases &&
    a.casesToday === b.casesToday &&
    a.sightingsToday === b.sightingsToday &&
    a.alertsSent === b.alertsSent &&
    a.notificationsDelivered === b.notificationsDelivered
  );
}
