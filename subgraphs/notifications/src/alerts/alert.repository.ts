import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventPayloads } from '@supergraph/kit';
import { adminIds, alertedAboutCase, recipientsWithinAlertRadius } from '../directory/recipient.directory';

type Point = NonNullable<EventPayloads['case.reported']['location']>;

/** A recipient whose home lies within their own alert radius of a case, and how far. */
export interface NearbyRecipient {
  userId: string;
  distanceKm: number;
}

/**
 * What the alert fan-out reads and writes, in the consumer's transaction (`em`): the `alert`
 * rows (one per case) and the recipient directory's answers about who hears of a case.
 */
export class AlertRepository {
  constructor(private readonly em: EntityManager) {}

  /** Records the alert of a case; false when the case already has one (e.g. it was re-announced). */
  async raise(alert: { caseId: string; message: string; location: Point | null }): Promise<boolean> {
    const inserted = await this.em.execute<{ id: string }[]>(
      `insert into "alert" ("id", "case_id", "message", "lat", "lng", "raised_at") values (gen_random_uuid(), ?, ?, ?, ?, now())
       on conflict ("case_id") do nothing returning "id"`,
      [alert.caseId, alert.message, alert.location?.lat ?? null, alert.location?.lng ?? null],
    );
    return inserted.length > 0;
  }

  /** Drops the alert of a deleted case: recent alerts name only cases that still exist. */
  async drop(caseId: string): Promise<void> {
    await this.em.execute('delete from "alert" where "case_id" = ?', [caseId]);
  }

  /** Recipients (nearest first) whose alert radius around their home reaches `point`, except `excludeUserId`. */
  recipientsNear(point: Point, excludeUserId: string): Promise<NearbyRecipient[]> {
    return recipientsWithinAlertRadius(this.em, point, excludeUserId);
  }

  /** Ids of the ADMINs known to the directory. */
  admins(): Promise<string[]> {
    return adminIds(this.em);
  }

  /** Distinct users who got an ALERT about `caseId`. */
  alertedAbout(caseId: string): Promise<string[]> {
    return alertedAboutCase(this.em, caseId);
  }
}
