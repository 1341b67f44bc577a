/** Topics of this subgraph's live pub/sub (channels `<REDIS_PREFIX>:notifications:<topic>` over Redis). */
export const TOPICS = {
  /** Payload `{ id, recipientId }` of a new notification. */
  NOTIFICATION_RECEIVED: 'notification-received',
  /** Payload `{ id, lat, lng }` of a new alert (lat/lng null when the case has no location). */
  ALERT_RAISED: 'alert-raised',
} as const;
