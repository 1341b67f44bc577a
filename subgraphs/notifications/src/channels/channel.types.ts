/**
 * The common vocabulary of every delivery channel: what is sent (`Message`), to whom
 * (`Recipient`), and the one interface each provider client implements (`ChannelSender`).
 */
import type { Channel } from '@supergraph/kit';

export { DeliveryError } from './delivery.error';
export type { DeliveryErrorOptions } from './delivery.error';

/**
 * How urgent a message is. `HIGH` (missing-child alerts) asks push services to wake the
 * device at once; `NORMAL` suits reminders; `LOW` may be batched by the push service.
 */
export type MessageUrgency = 'HIGH' | 'NORMAL' | 'LOW';

/**
 * One notification rendered for delivery, independent of channel.
 * Senders format it for their medium (plain text, HTML, embed, SMS) and never mutate it.
 */
export interface Message {
  /** Short headline, e.g. "Missing child near Lyon". */
  title: string;
  /** Main text, plain (no markup); line breaks are kept where the medium allows. */
  body: string;
  /** Absolute link to open the case or plant in the web app. */
  url?: string;
  /** Absolute public URL of a photo (a missing child's photo, a plant's picture). */
  photoUrl?: string;
  /** What the message is about, e.g. 'CASE_ALERT', 'PLANT_REMINDER'; used as push tag. */
  category: string;
  /** How fast it must arrive. */
  urgency: MessageUrgency;
}

/** A browser's Web Push subscription, as returned by `PushManager.subscribe()` (toJSON()). */
export interface PushSubscription {
  /** The push service URL for this browser; messages are POSTed to it. */
  endpoint: string;
  /** Client keys for payload encryption (RFC 8291), base64url. */
  keys: { p256dh: string; auth: string };
}

/**
 * Where one person can be reached. Every address is optional: a channel without an
 * address for the recipient is skipped, not failed.
 */
export interface Recipient {
  /** The user's id, for logs and in-app inbox rows. */
  userId?: string;
  /** Display name used in greetings and the e-mail `To` header. */
  name?: string;
  email?: string;
  /** E.164 phone number, e.g. "+33612345678". */
  phone?: string;
  /** Telegram chat id (numeric, or "@channelusername"), learned when the user starts the bot. */
  telegramChatId?: string;
  /** A Discord webhook URL the user created for their own server/channel. */
  discordWebhookUrl?: string;
  pushSubscriptions?: PushSubscription[];
}

/**
 * A client of one provider. Implementations are stateless between calls and safe to share.
 *
 * - `isConfigured()` is false when the operator gave no credentials for the provider.
 * - `unavailableReason(recipient)` returns why this recipient cannot be reached on this
 *   channel (channel not configured, no address), or null when `send` may be tried.
 * - `send` resolves once the provider accepted the message, or rejects with a
 *   `DeliveryError` telling whether a retry can help.
 */
export interface ChannelSender {
  readonly channel: Channel;
  isConfigured(): boolean;
  unavailableReason(recipient: Recipient): string | null;
  send(recipient: Recipient, message: Message): Promise<void>;
}
