import { DEFAULT_CHANNELS } from '../entities/enums';
import type { Recipient } from '../entities/recipient.entity';
import type { NotificationPreferences } from '../types/preferences.types';

/** The API view of a directory row (defaults when the user has none yet). */
export function toPreferences(r: Recipient | null, pushSubscriptionCount: number): NotificationPreferences {
  return {
    channels: [...(r?.channels ?? DEFAULT_CHANNELS)],
    alertRadiusKm: r?.alertRadiusKm ?? 5,
    homeLocation: r && r.homeLat !== null && r.homeLng !== null ? { lat: r.homeLat, lng: r.homeLng } : null,
    quietHours:
      r?.quietStart && r.quietEnd && r.quietTimezone
        ? { start: r.quietStart, end: r.quietEnd, timezone: r.quietTimezone }
        : null,
    telegramLinked: Boolean(r?.telegramChatId),
    discordLinked: Boolean(r?.discordWebhookUrl),
    pushSubscriptionCount,
  };
}
