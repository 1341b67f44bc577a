import type { EntityManager } from '@mikro-orm/postgresql';
import { Channel } from '@supergraph/kit';
import type { Message } from '../channels';
import { Delivery } from '../entities/delivery.entity';
import { DEFAULT_CHANNELS, NotificationCategory } from '../entities/enums';
import { Notification } from '../entities/notification.entity';
import { Recipient } from '../entities/recipient.entity';
import { quietHoursEnd } from '../directory/quiet-hours';

/** What to tell whom; channels default to the recipient's own choice. */
export interface NotificationSpec {
  recipientId: string;
  category: NotificationCategory;
  title: string;
  body: string;
  data?: Record<string, unknown> | null;
  caseId?: string | null;
  broadcastId?: string | null;
  url?: string | null;
  photoUrl?: string | null;
  /** Exactly these channels instead of the recipient's choice. */
  channels?: readonly Channel[];
  /** Channels added to whatever else applies (e.g. IN_APP for ADMINs). */
  extraChannels?: readonly Channel[];
}

/**
 * Categories that never wait for quiet hours: alerts about a missing child are urgent, and a
 * password-reset link expires within the hour.
 */
const URGENT = new Set<NotificationCategory>([NotificationCategory.ALERT, NotificationCategory.SECURITY]);

/**
 * Persists notifications and one PENDING delivery per channel in `em`'s unit of work (the caller
 * flushes or commits, so rows and the change that caused them land together). Recipients are
 * read in one query. Outside urgent categories, deliveries of a recipient inside quiet hours get
 * `notBefore` = the end of those hours (IN_APP excepted: the inbox disturbs nobody).
 */
export async function createNotifications(
  em: EntityManager,
  specs: NotificationSpec[],
  now: Date = new Date(),
): Promise<Notification[]> {
  if (specs.length === 0) return [];
  const ids = [...new Set(specs.map((s) => s.recipientId))];
  const recipients = new Map((await em.find(Recipient, { userId: { $in: ids } })).map((r) => [r.userId, r]));
  return specs.map((spec) => {
    const recipient = recipients.get(spec.recipientId);
    const channels = new Set<Channel>([
      ...(spec.channels ?? recipient?.channels ?? DEFAULT_CHANNELS),
      ...(spec.extraChannels ?? []),
    ]);
    const quietUntil = URGENT.has(spec.category)
      ? null
      : quietHoursEnd(
          recipient
            ? {
                start: recipient.quietStart ?? undefined,
                end: recipient.quietEnd ?? undefined,
                timezone: recipient.quietTimezone ?? undefined,
              }
            : null,
          now,
        );
    const notification = em.create(Notification, {
      recipientId: spec.recipientId,
      category: spec.category,
      title: spec.title.slice(0, 200),
      body: spec.body,
      data: spec.data ?? null,
      caseId: spec.caseId ?? null,
      broadcastId: spec.broadcastId ?? null,
      url: spec.url ?? null,
      photoUrl: spec.photoUrl ?? null,
      createdAt: now,
    });
    for (const channel of channels) {
      em.create(Delivery, {
        notification,
        channel,
        notBefore: quietUntil && channel !== Channel.IN_APP ? quietUntil : now,
        createdAt: now,
        updatedAt: now,
      });
    }
    return notification;
  });
}

/** The channel-independent message a notification is delivered as. */
export function toMessage(n: Notification): Message {
  return {
    title: n.title,
    body: n.body,
    url: n.url ?? undefined,
    photoUrl: n.photoUrl ?? undefined,
    category: n.category,
    urgency: URGENT.has(n.category) ? 'HIGH' : n.category === NotificationCategory.REMINDER ? 'NORMAL' : 'LOW',
  };
}
