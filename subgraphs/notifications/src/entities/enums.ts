import { registerEnumType } from 'type-graphql';
import { Channel } from '@supergraph/kit';

/** What a notification is about; decides urgency and whether quiet hours hold it back. */
export enum NotificationCategory {
  ALERT = 'ALERT',
  REMINDER = 'REMINDER',
  SYSTEM = 'SYSTEM',
  WELCOME = 'WELCOME',
  SECURITY = 'SECURITY',
}
registerEnumType(NotificationCategory, {
  name: 'NotificationCategory',
  description:
    'ALERT: a missing child near you or news about one; REMINDER: plant care; SYSTEM: platform news; WELCOME; SECURITY: account safety (password reset).',
});

/** Where one channel's delivery of a notification stands. */
export enum DeliveryStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
  SKIPPED = 'SKIPPED',
}
registerEnumType(DeliveryStatus, {
  name: 'DeliveryStatus',
  description:
    'PENDING: waiting (quiet hours, retry) or in progress; SENT: the provider accepted it; FAILED: given up, see lastError; SKIPPED: the channel cannot reach this person (not configured, no address), see lastError.',
});

/** Lifecycle of an ADMIN broadcast. */
export enum BroadcastStatus {
  SCHEDULED = 'SCHEDULED',
  SENT = 'SENT',
}
registerEnumType(BroadcastStatus, {
  name: 'BroadcastStatus',
  description: 'SCHEDULED: waiting for its time; SENT: fanned out to its recipients.',
});

/** Channels a person gets when they never chose any. */
export const DEFAULT_CHANNELS: readonly Channel[] = [Channel.IN_APP, Channel.EMAIL];
