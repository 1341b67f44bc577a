import { Channel } from '@supergraph/kit';
import { defineConsumer, type Consumer } from '@supergraph/kit';
import { createNotifications } from '../delivery/notification.factory';
import { utcMinute } from '../delivery/message.time';
import { upsertRecipient } from '../directory/recipient.directory';
import { NotificationCategory } from '../entities/enums';
import { handleSightingReviewed } from './sighting-review.handler';

/** The events of the service's main lane (the alert lane reads the others, see ALERT_EVENTS). */
export const NOTIFICATION_EVENTS = [
  'user.registered',
  'user.updated',
  'user.password_reset_requested',
  'sighting.reported',
  'sighting.reviewed',
  'plant.watering_due',
] as const;

/** What the notification consumer needs. */
export interface NotificationConsumerDeps {
  /** Where links in messages point. */
  publicOrigin: string;
}

/**
 * The main lane: keeps the recipient directory current from users' events and turns facts
 * (a welcome, a reset link, a sighting, a due watering) into notifications. Each event is applied
 * once, inside the transaction that records it as processed (the kit's `consume`).
 */
export function notificationConsumer(deps: NotificationConsumerDeps): Consumer {
  return defineConsumer({
    types: NOTIFICATION_EVENTS,
    async handle(em, envelope) {
      switch (envelope.type) {
        case 'user.registered': {
          const p = envelope.payload;
          await upsertRecipient(em, { userId: p.userId, email: p.email, displayName: p.displayName });
          await createNotifications(em, [
            {
              recipientId: p.userId,
              category: NotificationCategory.WELCOME,
              title: `Welcome, ${p.displayName}!`,
              body: 'Your account is ready. Set your home location and alert radius in your notification preferences to hear about missing children near you.',
              url: `${deps.publicOrigin}/settings/notifications`,
            },
          ]);
          return;
        }
        case 'user.updated': {
          const p = envelope.payload;
          await upsertRecipient(em, {
            userId: p.userId,
            email: p.email,
            displayName: p.displayName,
            phone: p.phone,
            role: p.role,
          });
          return;
        }
        case 'user.password_reset_requested': {
          const p = envelope.payload;
          await upsertRecipient(em, { userId: p.userId, email: p.email });
          const link = `${deps.publicOrigin}/reset-password?token=${encodeURIComponent(p.resetToken)}`;
          await createNotifications(em, [
            {
              recipientId: p.userId,
              category: NotificationCategory.SECURITY,
              title: 'Reset your password',
              body: `Someone (hopefully you) asked to reset the password of this account. Open the link below before ${utcMinute(p.expiresAt)} to choose a new one. If it was not you, ignore this message: your password stays as it is.`,
              url: link,
              // Only by e-mail: the link is a secret and proves control of the mailbox.
              channels: [Channel.EMAIL],
            },
          ]);
          return;
        }
        case 'sighting.reported': {
          const p = envelope.payload;
          await createNotifications(em, [
            {
              recipientId: p.caseReporterId,
              category: NotificationCategory.ALERT,
              title: `New sighting for case ${p.reportId}`,
              body: `Someone reported seeing the child ${utcMinute(p.seenAt)} at ${p.place}. Open the case to see the details.`,
              caseId: p.caseId,
              url: `${deps.publicOrigin}/cases/${p.caseId}`,
              data: { caseId: p.caseId, sightingId: p.sightingId, reportId: p.reportId },
            },
          ]);
          return;
        }
        case 'plant.watering_due': {
          const p = envelope.payload;
          await createNotifications(em, [
            {
              recipientId: p.ownerId,
              category: NotificationCategory.REMINDER,
              title: `Time to water ${p.nickname}`,
              body: `${p.nickname} was due for watering ${utcMinute(p.dueAt)}.`,
              url: `${deps.publicOrigin}/plants/${p.plantId}`,
              data: { plantId: p.plantId, dueAt: p.dueAt },
            },
          ]);
          return;
        }
        case 'sighting.reviewed':
          return handleSightingReviewed(em, envelope.payload, deps.publicOrigin);
        default: {
          const never: never = envelope;
          throw new Error(`unexpected event ${(never as { type: string }).type}`);
        }
      }
    },
  });
}
