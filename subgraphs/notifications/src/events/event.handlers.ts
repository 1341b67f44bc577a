import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@supergraph/kit';
import { ChannelName, NotificationCategory } from '../entities/enums';
import {
  adminIds,
  alertedAboutCase,
  recipientsWithinAlertRadius,
  upsertRecipient,
} from '../directory/recipient.directory';
import { createNotifications, type NotificationSpec } from '../delivery/notification.factory';
import { handleSightingReviewed } from './sighting-review.handler';

/** The events this subgraph consumes. */
export const CONSUMED_EVENTS = [
  'user.registered',
  'user.updated',
  'user.password_reset_requested',
  'case.reported',
  'case.status_changed',
  'case.deleted',
  'sighting.reported',
  'sighting.reviewed',
  'plant.watering_due',
] as const;

/**
 * Events that raise or settle alerts. They are read in a lane (bus consumer group) of their own,
 * so an alert never waits behind a backlog of other events (a burst of sightings, say); a
 * case's report and its status changes stay in order within the lane.
 */
export const ALERT_EVENTS = ['case.reported', 'case.status_changed', 'case.deleted'] as const satisfies ReadonlyArray<
  (typeof CONSUMED_EVENTS)[number]
>;

/** Every other consumed event, read in the service's main lane. */
export const MAIN_EVENTS = CONSUMED_EVENTS.filter((t) => !(ALERT_EVENTS as readonly string[]).includes(t));

/** One consumed event. */
export type ConsumedEnvelope = EventEnvelope<(typeof CONSUMED_EVENTS)[number]>;

/** Where links in messages point. */
export interface HandlerContext {
  publicOrigin: string;
}

const when = (iso: string) => new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/**
 * Applies one consumed event inside the consumer's transaction (`consume()` makes it idempotent):
 * keeps the recipient directory current and turns facts into notifications.
 */
export async function handleEvent(em: EntityManager, envelope: ConsumedEnvelope, ctx: HandlerContext): Promise<void> {
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
          url: `${ctx.publicOrigin}/settings/notifications`,
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
      const link = `${ctx.publicOrigin}/reset-password?token=${encodeURIComponent(p.resetToken)}`;
      await createNotifications(em, [
        {
          recipientId: p.userId,
          category: NotificationCategory.SECURITY,
          title: 'Reset your password',
          body: `Someone (hopefully you) asked to reset the password of this account. Open the link below before ${when(p.expiresAt)} to choose a new one. If it was not you, ignore this message: your password stays as it is.`,
          url: link,
          // Only by e-mail: the link is a secret and proves control of the mailbox.
          channels: [ChannelName.EMAIL],
        },
      ]);
      return;
    }
    case 'case.reported': {
      const p = envelope.payload;
      const place = p.lastSeenPlace || 'an unknown place';
      const message = `Missing: ${p.childName}, ${p.age}, last seen ${when(p.lastSeenAt)} at ${place}.`;
      const inserted = await em.execute<{ id: string }[]>(
        `insert into "alert" ("id", "case_id", "message", "lat", "lng", "raised_at") values (gen_random_uuid(), ?, ?, ?, ?, now())
         on conflict ("case_id") do nothing returning "id"`,
        [p.caseId, message, p.location?.lat ?? null, p.location?.lng ?? null],
      );
      if (inserted.length === 0) return; // already alerted (e.g. the case was re-announced)
      const near = p.location ? await recipientsWithinAlertRadius(em, p.location, p.reporterId) : [];
      const admins = new Set(await adminIds(em));
      const base = {
        category: NotificationCategory.ALERT,
        title: `Missing child near you: ${p.childName}, ${p.age}`,
        body: `${p.childName} (${p.age}) was last seen ${when(p.lastSeenAt)} at ${place}. If you see ${p.childName}, report a sighting right away.`,
        caseId: p.caseId,
        url: `${ctx.publicOrigin}/cases/${p.caseId}`,
        photoUrl: p.photoUrl,
      };
      const specs: NotificationSpec[] = near.map((r) => ({
        ...base,
        recipientId: r.userId,
        data: { caseId: p.caseId, reportId: p.reportId, distanceKm: Math.round(r.distanceKm * 10) / 10 },
        extraChannels: admins.has(r.userId) ? [ChannelName.IN_APP] : [],
      }));
      const nearIds = new Set(near.map((r) => r.userId));
      for (const adminId of admins) {
        if (nearIds.has(adminId)) continue;
        specs.push({
          ...base,
          title: `New case ${p.reportId}: ${p.childName}, ${p.age}`,
          recipientId: adminId,
          data: { caseId: p.caseId, reportId: p.reportId },
          channels: [ChannelName.IN_APP],
        });
      }
      await createNotifications(em, specs);
      return;
    }
    case 'sighting.reported': {
      const p = envelope.payload;
      await createNotifications(em, [
        {
          recipientId: p.caseReporterId,
          category: NotificationCategory.ALERT,
          title: `New sighting for case ${p.reportId}`,
          body: `Someone reported seeing the child ${when(p.seenAt)} at ${p.place}. Open the case to see the details.`,
          caseId: p.caseId,
          url: `${ctx.publicOrigin}/cases/${p.caseId}`,
          data: { caseId: p.caseId, sightingId: p.sightingId, reportId: p.reportId },
        },
      ]);
      return;
    }
    case 'sighting.reviewed':
      return handleSightingReviewed(em, envelope.payload, ctx.publicOrigin);
    case 'case.status_changed': {
      const p = envelope.payload;
      const ids = new Set([p.reporterId, ...(await alertedAboutCase(em, p.caseId))]);
      ids.delete(p.changedBy);
      const body = `Case ${p.reportId} changed from ${p.from} to ${p.to}.${p.note ? ` Note: ${p.note}` : ''}`;
      await createNotifications(
        em,
        [...ids].map((recipientId) => ({
          recipientId,
          category: NotificationCategory.SYSTEM,
          title: `Case ${p.reportId} is now ${p.to}`,
          body,
          url: `${ctx.publicOrigin}/cases/${p.caseId}`,
          data: { caseId: p.caseId, reportId: p.reportId, from: p.from, to: p.to },
        })),
      );
      return;
    }
    case 'case.deleted': {
      // A deleted case's alert goes too: recent alerts name only cases that still exist.
      await em.execute('delete from "alert" where "case_id" = ?', [envelope.payload.caseId]);
      return;
    }
    case 'plant.watering_due': {
      const p = envelope.payload;
      await createNotifications(em, [
        {
          recipientId: p.ownerId,
          category: NotificationCategory.REMINDER,
          title: `Time to water ${p.nickname}`,
          body: `${p.nickname} was due for watering ${when(p.dueAt)}.`,
          url: `${ctx.publicOrigin}/plants/${p.plantId}`,
          data: { plantId: p.plantId, dueAt: p.dueAt },
        },
      ]);
      return;
    }
    default: {
      const never: never = envelope;
      throw new Error(`unexpected event ${(never as { type: string }).type}`);
    }
  }
}
