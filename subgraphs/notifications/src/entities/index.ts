import { EVENT_ENTITIES } from '@supergraph/kit';
import { Alert } from './alert.entity';
import { Broadcast } from './broadcast.entity';
import { Delivery } from './delivery.entity';
import { Notification } from './notification.entity';
import { PushSubscriptionRow } from './push-subscription.entity';
import { Recipient } from './recipient.entity';

/** Every entity of the notifications database, including the event backbone's outbox tables. */
export const ENTITIES = [Recipient, PushSubscriptionRow, Notification, Delivery, Alert, Broadcast, ...EVENT_ENTITIES];
