import { Channel } from '@supergraph/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventPayloads } from '@supergraph/kit';
import { createNotifications, type NotificationSpec } from '../delivery/notification.factory';
import { NotificationCategory } from '../entities/enums';
import { adminCaseMessage, alertText, nearbyAlertMessage, statusChangedMessage } from './alert.messages';
import { AlertRepository, type NearbyRecipient } from './alert.repository';

type Reported = EventPayloads['case.reported'];
type StatusChanged = EventPayloads['case.status_changed'];

/**
 * `case.reported`: raises the case's alert once (a re-announced case notifies nobody again) and
 * notifies whoever {@link caseAlertSpecs} names. Runs in the consumer's transaction.
 */
export async function fanOutCaseReported(em: EntityManager, p: Reported, origin: string): Promise<void> {
  const alerts = new AlertRepository(em);
  if (!(await alerts.raise({ caseId: p.caseId, message: alertText(p), location: p.location }))) return;
  const near = p.location ? await alerts.recipientsNear(p.location, p.reporterId) : [];
  const admins = new Set(await alerts.admins());
  await createNotifications(em, caseAlertSpecs(p, near, admins, origin));
}

/**
 * Who hears of a new case: every recipient within their alert radius (nearest first, with the
 * distance), on their own channels plus IN_APP for ADMINs; and every ADMIN not among them, in
 * the inbox only, under a title naming the new case. The reporter is never among `near`.
 */
export function caseAlertSpecs(
  p: Reported,
  near: readonly NearbyRecipient[],
  admins: ReadonlySet<string>,
  origin: string,
): NotificationSpec[] {
  const base = { category: NotificationCategory.ALERT, caseId: p.caseId, photoUrl: p.photoUrl };
  const specs: NotificationSpec[] = near.map((r) => ({
    ...base,
    ...nearbyAlertMessage(p, origin),
    recipientId: r.userId,
    data: { caseId: p.caseId, reportId: p.reportId, distanceKm: Math.round(r.distanceKm * 10) / 10 },
    extraChannels: admins.has(r.userId) ? [Channel.IN_APP] : [],
  }));
  const nearIds = new Set(near.map((r) => r.userId));
  for (const adminId of admins) {
    if (nearIds.has(adminId)) continue;
    specs.push({
      ...base,
      ...adminCaseMessage(p, origin),
      recipientId: adminId,
      data: { caseId: p.caseId, reportId: p.reportId },
      channels: [Channel.IN_APP],
    });
  }
  return specs;
}

/**
 * `case.status_changed`: tells the case's reporter and everyone alerted about the case, except
 * whoever made the change. Runs in the consumer's transaction.
 */
export async function noticeStatusChanged(em: EntityManager, p: StatusChanged, origin: string): Promise<void> {
  const ids = new Set([p.reporterId, ...(await new AlertRepository(em).alertedAbout(p.caseId))]);
  ids.delete(p.changedBy);
  const message = statusChangedMessage(p, origin);
  await createNotifications(
    em,
    [...ids].map((recipientId) => ({
      ...message,
      recipientId,
      category: NotificationCategory.SYSTEM,
      data: { caseId: p.caseId, reportId: p.reportId, from: p.from, to: p.to },
    })),
  );
}
