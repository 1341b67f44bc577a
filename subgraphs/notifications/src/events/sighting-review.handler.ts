import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventPayloads } from '@supergraph/kit';
import { utcMinute } from '../delivery/message.time';
import { createNotifications } from '../delivery/notification.factory';
import { NotificationCategory } from '../entities/enums';

/**
 * `sighting.reviewed`: a sighting that became VERIFIED tells the case's reporter (an ALERT, so
 * quiet hours do not hold it back), with where and when the child was seen and the reviewer's
 * note; the page link is the case's public page. Other outcomes (DISMISSED, back to NEW) notify
 * nobody. Runs in the consumer's transaction, like every handler.
 */
export async function handleSightingReviewed(
  em: EntityManager,
  p: EventPayloads['sighting.reviewed'],
  publicOrigin: string,
): Promise<void> {
  if (p.to !== 'VERIFIED') return;
  await createNotifications(em, [
    {
      recipientId: p.caseReporterId,
      category: NotificationCategory.ALERT,
      title: `Sighting verified for case ${p.reportId}`,
      body: `The sighting of ${utcMinute(p.seenAt)} at ${p.place} was verified.${p.note ? ` Note: ${p.note}` : ''}`,
      caseId: p.caseId,
      url: `${publicOrigin}/cases/${encodeURIComponent(p.reportId)}`,
      data: { caseId: p.caseId, reportId: p.reportId, sightingId: p.sightingId, status: p.to },
    },
  ]);
}
